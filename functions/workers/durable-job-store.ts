/**
 * The Worker's JobStore: a thin client of the coordinating Durable Object (broker-object.ts) over RPC, through the
 * isolate's BrokerClient (fresh stubs, errors, events). Everything with state happens in the object; this side stands
 * in for AbortSignal (which cannot cross RPC) with tickets the object drops on `abandon`.
 */
import type { ErrorInfo } from '../shared/errors/codes';
import type { RunnerControl } from '../shared/jobs/contract';
import type { JobStore } from '../src/jobs/store';
import type { ClaimRequest, Job, JobEvent, JobOutcome, JobProgress, JobStatus, Lease, NewJob, RunnerEvent, RunnerInfo, RunnerRecord } from '../src/jobs/types';
import { BrokerClient } from './broker-client';
import type { BrokerOptions, BrokerRpc, Caller, Reply } from './broker-rpc';

export class DurableJobStore implements JobStore {
  private readonly client: BrokerClient;

  /** On the isolate's shared client, or on its own connection (tests). */
  constructor(connection: BrokerClient | (() => BrokerRpc)) {
    this.client = connection instanceof BrokerClient ? connection : new BrokerClient(connection);
  }

  /** Set the options of a fresh object (tests; a per-tenant object). */
  async configure(options: BrokerOptions): Promise<boolean> {
    return this.call((b, from) => b.configure(from, options));
  }

  enqueue(input: NewJob): Promise<Job> {
    return this.call((b, from) => b.enqueue(from, input));
  }

  claim(request: ClaimRequest): Promise<Lease | null> {
    const { runnerId, tools, waitMs } = request;
    return this.withTicket(request.signal, null, (ticket) => this.call((b, from) => b.claim(from, { ticket, runnerId, tools: [...tools], waitMs })));
  }

  waitControl(runnerId: string, waitMs: number, signal?: AbortSignal): Promise<RunnerControl[]> {
    return this.withTicket<RunnerControl[]>(signal, [], (ticket) => this.call((b, from) => b.waitControl(from, ticket, runnerId, waitMs)));
  }

  heartbeat(id: string, leaseId: string, progress?: JobProgress): Promise<{ cancelRequested: boolean; leaseExpiresAt: number }> {
    return this.call((b, from) => b.heartbeat(from, id, leaseId, progress));
  }

  complete(id: string, leaseId: string, outcome: JobOutcome): Promise<{ duplicate: boolean; job: Job }> {
    return this.call((b, from) => b.complete(from, id, leaseId, outcome));
  }

  cancel(id: string, reason: ErrorInfo): Promise<Job | undefined> {
    return this.call((b, from) => b.cancel(from, id, reason));
  }

  expire(id: string, error: ErrorInfo): Promise<Job | undefined> {
    return this.call((b, from) => b.expire(from, id, error));
  }

  failIfQueued(id: string, error: ErrorInfo): Promise<boolean> {
    return this.call((b, from) => b.failIfQueued(from, id, error));
  }

  get(id: string): Promise<Job | undefined> {
    return this.call((b, from) => b.get(from, id));
  }

  findByKey(principal: string, key: string): Promise<Job | undefined> {
    return this.call((b, from) => b.findByKey(from, principal, key));
  }

  list(filter: { status?: JobStatus | undefined; tool?: string | undefined } = {}): Promise<Job[]> {
    return this.call((b, from) => b.list(from, { status: filter.status, tool: filter.tool }));
  }

  /** The object holds the wait; an aborted caller stops waiting here (the object's side ends with the job). */
  waitForEnd(id: string, signal?: AbortSignal): Promise<Job> {
    const ended = this.call((b, from) => b.waitForEnd(from, id));
    if (!signal) return ended;
    return new Promise<Job>((resolve, reject) => {
      const onAbort = (): void => reject(signal.reason ?? new Error('aborted'));
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      ended.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
  }

  subscribe(listener: (event: JobEvent) => void): () => void {
    this.client.listeners.job.add(listener);
    return () => this.client.listeners.job.delete(listener);
  }

  runners(): Promise<RunnerRecord[]> {
    return this.call((b, from) => b.runners(from));
  }

  register(info: RunnerInfo): Promise<{ rejoined: boolean }> {
    return this.call((b, from) => b.register(from, { ...info, tools: [...info.tools] }));
  }

  deregister(runnerId: string): Promise<boolean> {
    return this.call((b, from) => b.deregister(from, runnerId));
  }

  subscribeRunners(listener: (event: RunnerEvent) => void): () => void {
    this.client.listeners.runner.add(listener);
    return () => this.client.listeners.runner.delete(listener);
  }

  /** Nothing to stop on this side: the object owns the timers. */
  close(): void {}

  private call<T>(invoke: (broker: BrokerRpc, from: Caller) => Promise<Reply<T>>): Promise<T> {
    return this.client.call(invoke);
  }

  /** `run` with a ticket the object is told to drop when `signal` aborts; `empty` if it aborted before. */
  private async withTicket<T>(signal: AbortSignal | undefined, empty: T, run: (ticket: string) => Promise<T>): Promise<T> {
    if (signal?.aborted) return empty;
    const ticket = crypto.randomUUID();
    const onAbort = (): void => void this.call((b, from) => b.abandon(from, ticket)).catch(() => undefined);
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      return await run(ticket);
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }
}
