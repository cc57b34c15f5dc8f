/**
 * The coordinating Durable Object of the Workers deployment (docs/design.md, "Workers"): one object, named
 * BROKER_OBJECT_NAME, holds the queue, the leases, the parked long-poll claims and control polls, the runner roster
 * and the shared rate buckets, so a job queued through any isolate wakes a claim parked through any other. The
 * queueing rules are the memory store's (functions/src/jobs/memory-store.ts), run inside the object; every change is
 * written to SQLite (job-archive.ts) and read back from there, so finished jobs outlive the object, and an alarm at
 * the earliest lease expiry wakes an evicted object to take its jobs up again (restore.ts).
 */
import type { DurableObjectState } from 'cloudflare:workers';
import { type ErrorInfo, errorInfo } from '../shared/errors/codes';
import type { RunnerControl } from '../shared/jobs/contract';
import { ApiError } from '../src/errors/api-error';
import { MemoryJobStore } from '../src/jobs/memory-store';
import {
  type Job,
  type JobOutcome,
  type JobProgress,
  type JobStatus,
  type Lease,
  type NewJob,
  type RunnerInfo,
  type RunnerRecord,
  TERMINAL,
} from '../src/jobs/types';
import type { ServiceEvent } from '../src/events/service-event-log';
import { MemoryRateBuckets, type Take } from '../src/ratelimit/rate-buckets';
import { loadOptions, optionsFromBindings, saveOptions } from './broker-options';
import { BrokerObjectBase } from './broker-object-base';
import type { BrokerOptions, BrokerRpc, Caller, ClaimCall, Reply } from './broker-rpc';
import { JobArchive } from './job-archive';
import { IdSource, restoreJobs } from './restore';
import { ServiceEventRing, ToolStateTable } from './shared-state';
import type { WorkerBindings } from './runtime';

/** Finished jobs also kept in the object's memory; older ones are read from SQLite. */
const HOT_RETAINED = 500;

export class JobBroker extends BrokerObjectBase implements BrokerRpc {
  private readonly ids = new IdSource();
  private readonly buckets = new MemoryRateBuckets();
  private readonly toolState: ToolStateTable;
  private readonly serviceEvents: ServiceEventRing;
  private store!: MemoryJobStore;
  protected archive!: JobArchive;
  /** Settles once the jobs of a previous life are taken up (calls wait for it anyway: blockConcurrencyWhile). */
  readonly restored: Promise<void>;

  constructor(ctx: DurableObjectState, env: WorkerBindings) {
    super(ctx, env);
    this.toolState = new ToolStateTable(ctx.storage);
    this.serviceEvents = new ServiceEventRing(ctx.storage);
    this.open(loadOptions(ctx.storage) ?? optionsFromBindings(env));
    this.restored = ctx.blockConcurrencyWhile(async () => {
      await restoreJobs(this.store, this.archive, this.ids, Date.now());
      this.armAlarm();
    });
  }

  configure(from: Caller, options: BrokerOptions): Promise<Reply<boolean>> {
    return this.call(from, async () => {
      if (this.archive.list({}).length > 0) return false;
      this.store.close();
      saveOptions(this.ctx.storage, options);
      this.open(options);
      return true;
    });
  }

  enqueue(from: Caller, input: NewJob): Promise<Reply<Job>> {
    return this.call(from, () => this.store.enqueue(input));
  }

  claim(from: Caller, c: ClaimCall): Promise<Reply<Lease | null>> {
    return this.call(from, () =>
      this.withTicket(c.ticket, null, (signal) => this.store.claim({ runnerId: c.runnerId, tools: c.tools, waitMs: c.waitMs, signal })),
    );
  }

  waitControl(from: Caller, ticket: string, runnerId: string, waitMs: number): Promise<Reply<RunnerControl[]>> {
    return this.call(from, () => this.withTicket(ticket, [], (signal) => this.store.waitControl(runnerId, waitMs, signal)));
  }

  abandon(from: Caller, ticket: string): Promise<Reply<void>> {
    return this.call(from, async () => this.abandonTicket(ticket));
  }

  heartbeat(from: Caller, id: string, leaseId: string, progress?: JobProgress): Promise<Reply<{ cancelRequested: boolean; leaseExpiresAt: number }>> {
    return this.call(from, async () => {
      const reply = await this.store.heartbeat(id, leaseId, progress);
      const job = await this.store.get(id);
      if (job) this.persist(job); // the new lease expiry raises no event
      return reply;
    });
  }

  complete(from: Caller, id: string, leaseId: string, outcome: JobOutcome): Promise<Reply<{ duplicate: boolean; job: Job }>> {
    return this.call(from, async () => {
      // A repeat report for a job that has left the object's memory is answered from SQLite, as the store would.
      const archived = (await this.store.get(id)) ? undefined : this.archive.get(id);
      if (archived && TERMINAL.has(archived.status) && archived.leaseId === leaseId) return { duplicate: true, job: archived };
      return this.store.complete(id, leaseId, outcome);
    });
  }

  cancel(from: Caller, id: string, reason: ErrorInfo): Promise<Reply<Job | undefined>> {
    return this.call(from, async () => {
      const job = await this.store.cancel(id, reason);
      if (job) this.persist(job); // a running job's cancel request raises no event
      return job ?? this.archive.get(id);
    });
  }

  expire(from: Caller, id: string, error: ErrorInfo): Promise<Reply<Job | undefined>> {
    return this.call(from, async () => (await this.store.expire(id, error)) ?? this.archive.get(id));
  }

  failIfQueued(from: Caller, id: string, error: ErrorInfo): Promise<Reply<boolean>> {
    return this.call(from, () => this.store.failIfQueued(id, error));
  }

  get(from: Caller, id: string): Promise<Reply<Job | undefined>> {
    return this.call(from, async () => this.archive.get(id));
  }

  findByKey(from: Caller, principal: string, key: string): Promise<Reply<Job | undefined>> {
    return this.call(from, async () => this.archive.findByKey(principal, key));
  }

  list(from: Caller, filter: { status?: JobStatus | undefined; tool?: string | undefined }): Promise<Reply<Job[]>> {
    return this.call(from, async () => this.archive.list(filter));
  }

  waitForEnd(from: Caller, id: string): Promise<Reply<Job>> {
    return this.call(from, async () => {
      if (await this.store.get(id)) return this.store.waitForEnd(id);
      const archived = this.archive.get(id);
      if (archived && TERMINAL.has(archived.status)) return archived;
      throw new ApiError(errorInfo('NOT_FOUND', `No job ${id}.`));
    });
  }

  runners(from: Caller): Promise<Reply<RunnerRecord[]>> {
    return this.call(from, () => this.store.runners());
  }

  register(from: Caller, info: RunnerInfo): Promise<Reply<{ rejoined: boolean }>> {
    return this.call(from, () => this.store.register(info));
  }

  deregister(from: Caller, runnerId: string): Promise<Reply<boolean>> {
    return this.call(from, () => this.store.deregister(runnerId));
  }

  toolStateInit(from: Caller, start: Record<string, boolean>): Promise<Reply<Record<string, boolean>>> {
    return this.call(from, async () => this.toolState.init(start));
  }

  toolStateSet(from: Caller, name: string, enabled: boolean): Promise<Reply<boolean>> {
    return this.call(from, async () => {
      const changed = this.toolState.set(name, enabled);
      if (changed) this.events.push({ tool: { name, enabled } });
      return changed;
    });
  }

  publishEvent(from: Caller, type: string, data: Record<string, unknown>): Promise<Reply<ServiceEvent>> {
    return this.call(from, async () => {
      const event = this.serviceEvents.publish(type, data);
      this.events.push({ service: event });
      return event;
    });
  }

  eventsSince(from: Caller, lastId: number): Promise<Reply<{ events: ServiceEvent[]; gap: boolean }>> {
    return this.call(from, async () => this.serviceEvents.since(lastId));
  }

  takeRateToken(key: string, capacity: number, windowMs: number): Promise<Take> {
    return this.buckets.take(key, capacity, windowMs);
  }

  private open(options: BrokerOptions): void {
    this.archive = new JobArchive(this.ctx.storage, options.maxRetained);
    const hot = Math.min(HOT_RETAINED, options.maxRetained);
    this.store = new MemoryJobStore({ leaseMs: options.leaseMs, maxQueued: options.maxQueued, maxRetained: hot, newId: this.ids.next });
    this.store.subscribe((job) => {
      this.persist(job.job);
      this.events.push({ job });
    });
    this.store.subscribeRunners((runner) => this.events.push({ runner }));
  }

  private persist(job: Job): void {
    this.archive.save(job);
    this.armAlarm();
  }
}
