/**
 * JobStore in Redis (docs/design.md, "Broker"): the memory store's behaviour (functions/src/jobs/memory-store.ts),
 * shared by every API replica on one Redis and kept across restarts. Each state change is one Lua script (job-lua.ts,
 * roster-lua.ts), so claims are atomic across replicas; every change is published on one channel, which wakes parked
 * claims, control polls and waitForEnd on every replica and feeds subscribe()/subscribeRunners(). Redis down: every
 * call fails at once with UNAVAILABLE (503) and the connections come back by themselves.
 */
import type { RunnerControl } from '../../shared/jobs/contract';
import { ApiError } from '../../src/errors/api-error';
import { type ErrorInfo, errorInfo } from '../../shared/errors/codes';
import { heartbeatInterval, MAX_LEASE_ATTEMPTS } from '../../src/jobs/lease';
import type { JobStore } from '../../src/jobs/store';
import type {
  ClaimRequest,
  Job,
  JobEvent,
  JobOutcome,
  JobProgress,
  JobStatus,
  Lease,
  NewJob,
  RunnerEvent,
  RunnerInfo,
  RunnerRecord,
} from '../../src/jobs/types';
import { ClaimPump } from './claim-pump';
import { ControlPolls } from './control-polls';
import { JobEnds } from './job-ends';
import { decodeMessage, expectJob, jobFromFlat, newJobFields, outcomeArgs, refuseReply } from './job-codec';
import { EventListeners } from './event-listeners';
import { JobRedis, type RedisJobStoreOptions } from './job-redis';
import { LeaseSweeper } from './lease-sweeper';
import { listenOnChannel } from './event-channel';
import type { RedisConnections } from './redis-connection';

/** Slack on a parked claim's deadline in Redis: it only matters when the replica holding the claim dies. */
const PARK_SLACK_MS = 5000;
const CANCELLED_DEFAULT = JSON.stringify(errorInfo('CANCELLED', 'Job cancelled.'));

export class RedisJobStore implements JobStore {
  /** This replica's id on the event channel: events it caused come back as `local`, the others' as `remote`. */
  readonly replicaId = crypto.randomUUID();
  private readonly db: JobRedis;
  private readonly listeners = new EventListeners<JobEvent>();
  private readonly runnerListeners = new EventListeners<RunnerEvent>();
  private readonly pump = new ClaimPump(
    (runnerId, tools) => this.tryClaim(runnerId, tools),
    async (lease) => void (await this.db.script('release', [lease.job.id, lease.leaseId])),
  );
  private readonly polls: ControlPolls;
  private readonly ends: JobEnds;
  private readonly sweeper: LeaseSweeper;
  /** Settles once the event channel is subscribed (the first time). */
  readonly subscribed: Promise<void>;

  constructor(
    redis: RedisConnections,
    private readonly options: RedisJobStoreOptions,
  ) {
    this.db = new JobRedis(redis, options, this.replicaId);
    const channel = this.db.keys.channel;
    this.polls = new ControlPolls(
      async (runnerId, token, waitMs) =>
        ((await this.db.script('takeControl', [runnerId, token, waitMs])) as string[]).map((m) => JSON.parse(m) as RunnerControl),
      (runnerId, token) => this.db.unparkControl(runnerId, token),
    );
    this.ends = new JobEnds((id) => this.db.get(id));
    this.sweeper = new LeaseSweeper(
      async () => Number(await this.db.script('sweep', [MAX_LEASE_ATTEMPTS, CANCELLED_DEFAULT])),
      options.sweepMs ?? Math.max(1000, options.leaseMs),
    );
    // After a reconnect wake-ups may have been missed: parked claims try again, waiters read their jobs again.
    this.subscribed = listenOnChannel(
      redis.subscriber,
      channel,
      (raw) => this.onMessage(raw),
      () => {
        this.pump.wakeAll();
        this.ends.recheck();
      },
    );
    void this.sweeper.runNow();
  }

  async enqueue(input: NewJob): Promise<Job> {
    const ikey = input.idempotencyKey === undefined ? undefined : this.db.keys.idempotency(input.principal, input.idempotencyKey);
    const reply = await this.db.script('enqueue', [crypto.randomUUID(), this.options.maxQueued, JSON.stringify(newJobFields(input, ikey))]);
    if (reply === 'full') throw ApiError.of('RESOURCE_EXHAUSTED', `Job queue is full (${this.options.maxQueued} jobs waiting).`);
    return expectJob(reply);
  }

  async claim(request: ClaimRequest): Promise<Lease | null> {
    const token = crypto.randomUUID();
    // Roster updates not awaited (two round trips saved): the connection keeps them in order; Redis down fails the claim.
    const started = this.db.script('claimStarted', [request.runnerId, JSON.stringify(request.tools), token, Math.max(0, request.waitMs) + PARK_SLACK_MS]);
    started.catch(() => undefined);
    try {
      if (request.waitMs <= 0 || request.signal?.aborted) return await this.tryClaim(request.runnerId, request.tools);
      return await this.pump.park(request);
    } finally {
      void this.db.script('claimEnded', [request.runnerId, token]).catch(() => undefined);
      this.sweeper.scheduleIn(this.options.leaseMs + 1);
    }
  }

  async heartbeat(id: string, leaseId: string, progress?: JobProgress): Promise<{ cancelRequested: boolean; leaseExpiresAt: number }> {
    const reply = (await this.db.script('heartbeat', [id, leaseId, progress ? JSON.stringify(progress) : ''])) as string[];
    refuseReply(reply[0], id, leaseId);
    this.sweeper.scheduleIn(this.options.leaseMs + 1);
    return { cancelRequested: reply[1] === '1', leaseExpiresAt: Number(reply[2]) };
  }

  async complete(id: string, leaseId: string, outcome: JobOutcome): Promise<{ duplicate: boolean; job: Job }> {
    const reply = (await this.db.script('complete', [id, leaseId, ...outcomeArgs(outcome)])) as [string, unknown];
    refuseReply(reply[0], id, leaseId);
    return { duplicate: reply[0] === 'dup', job: jobFromFlat(reply[1]) ?? expectJob(await this.db.get(id)) };
  }

  async cancel(id: string, reason: ErrorInfo): Promise<Job | undefined> {
    return jobFromFlat(await this.db.script('cancel', [id, JSON.stringify(reason)]));
  }

  waitControl(runnerId: string, waitMs: number, signal?: AbortSignal): Promise<RunnerControl[]> {
    return this.polls.wait(runnerId, waitMs, signal);
  }

  async expire(id: string, error: ErrorInfo): Promise<Job | undefined> {
    return jobFromFlat(await this.db.script('expire', [id, JSON.stringify(error)]));
  }

  async failIfQueued(id: string, error: ErrorInfo): Promise<boolean> {
    return (await this.db.script('failIfQueued', [id, JSON.stringify(error)])) === 1;
  }

  get(id: string): Promise<Job | undefined> {
    return this.db.get(id);
  }

  findByKey(principal: string, key: string): Promise<Job | undefined> {
    return this.db.findByKey(principal, key);
  }

  list(filter: { status?: JobStatus | undefined; tool?: string | undefined } = {}): Promise<Job[]> {
    return this.db.list(filter);
  }

  waitForEnd(id: string, signal?: AbortSignal): Promise<Job> {
    return this.ends.wait(id, signal);
  }

  subscribe(listener: (event: JobEvent) => void): () => void {
    return this.listeners.add(listener);
  }

  runners(): Promise<RunnerRecord[]> {
    return this.db.runners();
  }

  async register(info: RunnerInfo): Promise<{ rejoined: boolean }> {
    const reply = await this.db.script('register', [info.runnerId, JSON.stringify(info), JSON.stringify(info.tools)]);
    this.sweeper.scheduleIn(this.options.leaseMs + 1);
    return { rejoined: reply === 1 };
  }

  async deregister(runnerId: string): Promise<boolean> {
    return (await this.db.script('deregister', [runnerId, 'deregistered'])) === 1;
  }

  subscribeRunners(listener: (event: RunnerEvent) => void): () => void {
    return this.runnerListeners.add(listener);
  }

  /** Stop timers and answer this replica's parked claims and polls; the connections are the broker's to close. */
  close(): void {
    this.sweeper.close();
    this.pump.drain();
    this.polls.drain();
  }

  private async tryClaim(runnerId: string, tools: readonly string[]): Promise<Lease | null> {
    const leaseId = crypto.randomUUID();
    const reply = await this.db.script('claim', [runnerId, leaseId, ...tools]);
    if (reply === null) return null;
    const job = expectJob(reply);
    this.sweeper.scheduleIn(this.options.leaseMs + 1);
    return { job, leaseId, leaseExpiresAt: job.leaseExpiresAt ?? 0, heartbeatIntervalMs: heartbeatInterval(this.options) };
  }

  private onMessage(raw: string): void {
    const message = decodeMessage(raw, this.replicaId);
    if (!message) return;
    if (message.kind === 'wake') return this.pump.wake([message.tool]);
    if (message.kind === 'control') return this.polls.deliver(message.runnerId, message.message);
    if (message.kind === 'runner') return this.runnerListeners.emit(message.event);
    // A lease granted anywhere: this replica can sweep it too, should the granting one die.
    if (message.event.type === 'claimed') this.sweeper.scheduleIn(this.options.leaseMs + 1);
    this.listeners.emit(message.event);
    this.ends.settle(message.event.job);
  }
}
