/**
 * One isolate's connection to the broker object (broker-rpc.ts): a fresh stub per call (Workers binds a stub to the
 * request that made it), error envelopes turned back into ApiError, and the events every reply carries handed to
 * this isolate's listeners in order and once each (replies to concurrent calls overlap). Shared by the Worker's
 * JobStore, tool state and service event log (durable-broker.ts).
 */
import { ApiError } from '../src/errors/api-error';
import type { ServiceEvent } from '../src/events/service-event-log';
import type { EventOrigin, JobEvent, RunnerEvent } from '../src/jobs/types';
import type { BrokerRpc, Caller, Reply } from './broker-rpc';

export interface BrokerListeners {
  job: Set<(event: JobEvent) => void>;
  runner: Set<(event: RunnerEvent) => void>;
  tool: Set<(name: string, enabled: boolean, origin: EventOrigin) => void>;
  service: Set<(event: ServiceEvent) => void>;
}

export class BrokerClient {
  readonly listeners: BrokerListeners = { job: new Set(), runner: new Set(), tool: new Set(), service: new Set() };
  private readonly isolate = crypto.randomUUID();
  private cursor: number | undefined;

  constructor(private readonly connect: () => BrokerRpc) {}

  async call<T>(invoke: (broker: BrokerRpc, from: Caller) => Promise<Reply<T>>): Promise<T> {
    const reply = await invoke(this.connect(), { isolate: this.isolate, cursor: this.cursor });
    this.deliver(reply);
    if (reply.result.ok) return reply.result.value;
    throw new ApiError(reply.result.error);
  }

  private deliver(reply: Reply<unknown>): void {
    const { job, runner, tool, service } = this.listeners;
    for (const e of reply.events) {
      if (this.cursor !== undefined && e.seq <= this.cursor) continue;
      this.cursor = e.seq;
      if ('job' in e) for (const l of job) l({ ...e.job, origin: e.origin });
      else if ('runner' in e) for (const l of runner) l({ ...e.runner, origin: e.origin });
      else if ('tool' in e) for (const l of tool) l(e.tool.name, e.tool.enabled, e.origin);
      else for (const l of service) l(e.service);
    }
    this.cursor = Math.max(this.cursor ?? 0, reply.head);
  }
}
