import type { ErrorInfo } from '../../shared/errors/codes';
import type { RunnerControl } from '../../shared/jobs/contract';
import type { ClaimRequest, Job, JobEvent, JobOutcome, JobProgress, JobStatus, Lease, NewJob, RunnerEvent, RunnerInfo, RunnerRecord } from './types';

/**
 * Where jobs live and how runners get them: in memory (memory-store.ts), in Redis shared by replicas
 * (functions/node/broker/redis-job-store.ts) or in a Durable Object, all held to test/broker/job-store-contract.ts
 * (docs/design.md, "Broker"), so every method is async. Errors are thrown as ApiError (UNAVAILABLE when a shared
 * store cannot be reached). Callers must not count on a returned job changing later (a shared store returns
 * copies; the memory store its own records): read it again.
 */
export interface JobStore {
  /** Queue a job and hand it to a waiting runner at once if one advertises the tool. RESOURCE_EXHAUSTED when full. */
  enqueue(input: NewJob): Promise<Job>;
  /** Long-poll: a lease on the oldest queued job for one of `tools`, or null after `waitMs`. */
  claim(request: ClaimRequest): Promise<Lease | null>;
  /** Renew a lease and record progress; tells the runner whether the job was cancelled. LEASE_CONFLICT when stale. */
  heartbeat(id: string, leaseId: string, progress?: JobProgress): Promise<{ cancelRequested: boolean; leaseExpiresAt: number }>;
  /** Record the outcome. Idempotent for the same lease; LEASE_CONFLICT for another. */
  complete(id: string, leaseId: string, outcome: JobOutcome): Promise<{ duplicate: boolean; job: Job }>;
  /**
   * Cancel: a queued job ends at once; for a running one a `cancel` control message goes to its runner at once
   * (waitControl), and the heartbeat reply says so too. Idempotent; a job that has ended is returned as it is.
   */
  cancel(id: string, reason: ErrorInfo): Promise<Job | undefined>;
  /**
   * A runner's control long-poll: the control messages waiting for it, else the first one posted within `waitMs`,
   * else [] (also when `signal` aborts). At most once, best effort: heartbeats carry the same news.
   */
  waitControl(runnerId: string, waitMs: number, signal?: AbortSignal): Promise<RunnerControl[]>;
  /** End a job that has not ended now, as failed with `error`, dropping its lease (the API gave up on it); its runner gets `lease-revoked`. */
  expire(id: string, error: ErrorInfo): Promise<Job | undefined>;
  /** End a job that is still queued (e.g. no runner took it in time); false if it was already claimed. */
  failIfQueued(id: string, error: ErrorInfo): Promise<boolean>;
  get(id: string): Promise<Job | undefined>;
  /** The job a principal started with this idempotency key, while it is retained. */
  findByKey(principal: string, key: string): Promise<Job | undefined>;
  list(filter?: { status?: JobStatus | undefined; tool?: string | undefined }): Promise<Job[]>;
  /** Resolves with the job once it is terminal. */
  waitForEnd(id: string, signal?: AbortSignal): Promise<Job>;
  /**
   * Job lifecycle events, in order; with a shared store those of every replica, another replica's marked
   * `origin: 'remote'`. Returns the unsubscribe function.
   */
  subscribe(listener: (event: JobEvent) => void): () => void;
  /** Connected runners: parked in a claim or seen within the lease window, with what they announced. */
  runners(): Promise<RunnerRecord[]>;
  /** A runner announces itself at start-up; registering again under the same id replaces the record. */
  register(info: RunnerInfo): Promise<{ rejoined: boolean }>;
  /** A runner stopping gracefully; false when it was not connected. */
  deregister(runnerId: string): Promise<boolean>;
  /** Runner joined/left events (a runner that never registers joins with its first claim); returns the unsubscribe function. */
  subscribeRunners(listener: (event: RunnerEvent) => void): () => void;
  /** Stop timers and answer this process's parked claims and control polls (shutdown); connections are the broker's. */
  close(): void;
}
