import { ApiError } from '../errors/api-error';
import { type ErrorInfo, errorInfo } from '../../shared/errors/codes';
import type { RunnerControl } from '../../shared/jobs/contract';
import { ClaimWaiters } from './claim-waiters';
import { ControlMailboxes } from './control-mailboxes';
import { EndWaiters } from './end-waiters';
import { LeaseTimers } from './lease-timers';
import { heartbeatInterval, leaseExpiry, mayRequeue } from './lease';
import { RunnerRoster } from './runner-roster';
import type { JobStore } from './store';
import {
  type ClaimRequest,
  type Job,
  type JobEvent,
  type JobOutcome,
  type JobProgress,
  type JobStatus,
  type Lease,
  type NewJob,
  type RunnerEvent,
  type RunnerInfo,
  type RunnerRecord,
  TERMINAL,
} from './types';

export interface MemoryJobStoreOptions {
  leaseMs: number;
  /** Jobs waiting for a runner at most; the next enqueue gets RESOURCE_EXHAUSTED. */
  maxQueued: number;
  /** Finished jobs kept for GET /jobs; the oldest are dropped first. */
  maxRetained: number;
  now?: () => number;
  newId?: () => string;
}

/** The in-memory JobStore: one process, no persistence. */
export class MemoryJobStore implements JobStore {
  private readonly jobs = new Map<string, Job>();
  private queue: string[] = [];
  private readonly finishedOrder: string[] = [];
  private readonly waiters = new ClaimWaiters();
  private readonly control = new ControlMailboxes();
  private readonly leaseTimers = new LeaseTimers();
  private readonly endWaiters = new EndWaiters();
  private readonly listeners = new Set<(event: JobEvent) => void>();
  private readonly roster: RunnerRoster;
  private readonly byKey = new Map<string, string>();
  private readonly now: () => number;
  private readonly newId: () => string;

  constructor(private readonly options: MemoryJobStoreOptions) {
    this.now = options.now ?? Date.now;
    this.newId = options.newId ?? (() => crypto.randomUUID());
    this.roster = new RunnerRoster({ leaseMs: options.leaseMs, now: this.now });
    this.roster.subscribe((e) => {
      if (e.type === 'left') this.control.forgetRunner(e.runner.runnerId);
    });
  }

  waitControl(runnerId: string, waitMs: number, signal?: AbortSignal): Promise<RunnerControl[]> {
    return this.control.wait(runnerId, waitMs, signal);
  }

  async enqueue(input: NewJob): Promise<Job> {
    if (this.queue.length >= this.options.maxQueued) {
      throw ApiError.of('RESOURCE_EXHAUSTED', `Job queue is full (${this.options.maxQueued} jobs waiting).`);
    }
    const job: Job = { ...input, id: this.newId(), status: 'queued', createdAt: this.now(), attempts: 0, cancelRequested: false };
    this.jobs.set(job.id, job);
    if (input.idempotencyKey) this.byKey.set(`${input.principal}\u0000${input.idempotencyKey}`, job.id);
    this.emit({ type: 'queued', job });
    this.dispatch(job);
    return job;
  }

  async claim(request: ClaimRequest): Promise<Lease | null> {
    this.roster.claimStarted(request.runnerId, request.tools);
    try {
      return await this.takeOrWait(request);
    } finally {
      this.roster.claimEnded(request.runnerId);
    }
  }

  async register(info: RunnerInfo): Promise<{ rejoined: boolean }> {
    return this.roster.register(info);
  }

  async deregister(runnerId: string): Promise<boolean> {
    return this.roster.deregister(runnerId);
  }

  subscribeRunners(listener: (event: RunnerEvent) => void): () => void {
    return this.roster.subscribe(listener);
  }

  private takeOrWait(request: ClaimRequest): Promise<Lease | null> {
    const index = this.queue.findIndex((id) => request.tools.includes(this.jobs.get(id)?.tool ?? ''));
    if (index >= 0) {
      const [id] = this.queue.splice(index, 1);
      return Promise.resolve(this.leaseTo(this.jobs.get(id ?? '') as Job, request.runnerId));
    }
    if (request.waitMs <= 0 || request.signal?.aborted) return Promise.resolve(null);
    return this.waiters.wait(request);
  }

  async heartbeat(id: string, leaseId: string, progress?: JobProgress): Promise<{ cancelRequested: boolean; leaseExpiresAt: number }> {
    const job = this.leased(id, leaseId);
    this.roster.touch(job.runnerId ?? '');
    job.leaseExpiresAt = leaseExpiry(this.now(), this.options);
    this.armLease(job);
    if (progress) {
      job.progress = progress;
      this.emit({ type: 'progress', job, progress });
    }
    return { cancelRequested: job.cancelRequested, leaseExpiresAt: job.leaseExpiresAt };
  }

  async complete(id: string, leaseId: string, outcome: JobOutcome): Promise<{ duplicate: boolean; job: Job }> {
    const job = this.jobs.get(id);
    if (job && TERMINAL.has(job.status) && job.leaseId === leaseId) return { duplicate: true, job };
    const live = this.leased(id, leaseId);
    // The runner has finished it: a stop message it has not collected yet is moot.
    if (live.runnerId) this.control.forgetJob(live.runnerId, id);
    live.resolvedAddress = outcome.resolvedAddress;
    live.durationMs = outcome.durationMs;
    live.result = outcome.result;
    if (outcome.status === 'succeeded') this.finish(live, 'succeeded');
    else this.finish(live, outcome.error.code === 'CANCELLED' || live.cancelRequested ? 'cancelled' : 'failed', outcome.error);
    return { duplicate: false, job: live };
  }

  async cancel(id: string, reason: ErrorInfo): Promise<Job | undefined> {
    const job = this.jobs.get(id);
    if (!job || TERMINAL.has(job.status)) return job;
    if (job.status === 'queued') {
      this.queue = this.queue.filter((q) => q !== id);
      this.finish(job, 'cancelled', reason);
    } else if (!job.cancelRequested) {
      job.cancelRequested = true;
      job.error = reason;
      // Push, so the runner stops the job now rather than at its next heartbeat (docs/design.md, "Job protocol").
      if (job.runnerId && job.leaseId) this.control.post(job.runnerId, { type: 'cancel', jobId: job.id, leaseId: job.leaseId });
    }
    return job;
  }

  async expire(id: string, error: ErrorInfo): Promise<Job | undefined> {
    const job = this.jobs.get(id);
    if (!job || TERMINAL.has(job.status)) return job;
    this.queue = this.queue.filter((q) => q !== id);
    // The runner is told now; its next heartbeat or report would get 409 anyway, and it kills the process.
    if (job.status === 'running' && job.runnerId && job.leaseId) {
      this.control.post(job.runnerId, { type: 'lease-revoked', jobId: job.id, leaseId: job.leaseId });
    }
    job.leaseId = undefined;
    this.finish(job, 'failed', error);
    return job;
  }

  async failIfQueued(id: string, error: ErrorInfo): Promise<boolean> {
    const job = this.jobs.get(id);
    if (job?.status !== 'queued') return false;
    this.queue = this.queue.filter((q) => q !== id);
    this.finish(job, 'failed', error);
    return true;
  }

  async get(id: string): Promise<Job | undefined> {
    return this.jobs.get(id);
  }

  async findByKey(principal: string, key: string): Promise<Job | undefined> {
    const id = this.byKey.get(`${principal}\u0000${key}`);
    return id === undefined ? undefined : this.jobs.get(id);
  }

  async list(filter: { status?: JobStatus | undefined; tool?: string | undefined } = {}): Promise<Job[]> {
    return [...this.jobs.values()].filter((j) => (!filter.status || j.status === filter.status) && (!filter.tool || j.tool === filter.tool));
  }

  waitForEnd(id: string, signal?: AbortSignal): Promise<Job> {
    const job = this.jobs.get(id);
    if (!job) return Promise.reject(ApiError.of('NOT_FOUND', `No job ${id}.`));
    if (TERMINAL.has(job.status)) return Promise.resolve(job);
    return this.endWaiters.wait(id, signal);
  }

  subscribe(listener: (event: JobEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async runners(): Promise<RunnerRecord[]> {
    return this.roster.list();
  }

  close(): void {
    this.roster.close();
    this.leaseTimers.clearAll();
    this.waiters.drain();
    this.control.drain();
  }

  private dispatch(job: Job): void {
    const waiter = this.waiters.take(job.tool);
    if (waiter) waiter.resolve(this.leaseTo(job, waiter.runnerId));
    else this.queue.push(job.id);
  }

  private leaseTo(job: Job, runnerId: string): Lease {
    job.status = 'running';
    job.runnerId = runnerId;
    job.leaseId = this.newId();
    job.attempts += 1;
    job.claimedAt = this.now();
    job.leaseExpiresAt = leaseExpiry(job.claimedAt, this.options);
    this.armLease(job);
    this.emit({ type: 'claimed', job });
    return { job, leaseId: job.leaseId, leaseExpiresAt: job.leaseExpiresAt, heartbeatIntervalMs: heartbeatInterval(this.options) };
  }

  private leased(id: string, leaseId: string): Job {
    const job = this.jobs.get(id);
    if (!job) throw ApiError.of('NOT_FOUND', `No job ${id}.`);
    if (job.status !== 'running' || job.leaseId !== leaseId) {
      throw ApiError.of('LEASE_CONFLICT', `Lease ${leaseId} does not hold job ${id}.`);
    }
    return job;
  }

  private armLease(job: Job): void {
    const leaseId = job.leaseId;
    this.leaseTimers.arm(job.id, (job.leaseExpiresAt ?? 0) - this.now(), () => this.leaseLost(job, leaseId));
  }

  private leaseLost(job: Job, leaseId: string | undefined): void {
    if (job.status !== 'running' || job.leaseId !== leaseId) return;
    // Should the old runner still be alive (a partition), it stops now instead of at its next heartbeat.
    if (job.runnerId && leaseId) this.control.post(job.runnerId, { type: 'lease-revoked', jobId: job.id, leaseId });
    job.leaseId = undefined;
    if (job.cancelRequested) {
      this.finish(job, 'cancelled', job.error ?? errorInfo('CANCELLED', 'Job cancelled.'));
    } else if (mayRequeue(job.attempts)) {
      job.status = 'queued';
      job.runnerId = undefined;
      this.emit({ type: 'requeued', job });
      this.dispatch(job);
    } else {
      this.finish(
        job,
        'failed',
        errorInfo('EXECUTION_ERROR', `Runner stopped responding; job lost its lease ${job.attempts} times.`, {
          recoverySuggestion: 'Check the runners (GET /health) and call again.',
        }),
      );
    }
  }

  private finish(job: Job, status: JobStatus, error?: ErrorInfo): void {
    job.status = status;
    job.finishedAt = this.now();
    if (error) job.error = error;
    this.leaseTimers.clear(job.id);
    this.emit({ type: status as 'succeeded' | 'failed' | 'cancelled', job });
    this.endWaiters.settle(job);
    this.finishedOrder.push(job.id);
    while (this.finishedOrder.length > this.options.maxRetained) {
      const old = this.jobs.get(this.finishedOrder.shift() ?? '');
      if (!old) continue;
      this.jobs.delete(old.id);
      if (old.idempotencyKey) this.byKey.delete(`${old.principal}\u0000${old.idempotencyKey}`);
    }
  }

  private emit(event: JobEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}
