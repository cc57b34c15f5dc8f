/**
 * What the coordinating Durable Object answers over RPC (docs/design.md, "Workers"). Arguments and results are plain
 * data. An AbortSignal cannot cross RPC, so a parked claim or control poll carries a `ticket` the caller may abandon;
 * an error crosses as an ErrorInfo envelope (RPC keeps an Error's message, not its code), turned back into ApiError
 * by the stub client (durable-job-store.ts). Every reply carries the job and runner events since the caller's cursor,
 * so each isolate hears of every change, also those the object made on its own (a requeue after a lost lease).
 */
import type { ErrorInfo } from '../shared/errors/codes';
import type { RunnerControl } from '../shared/jobs/contract';
import type { EventOrigin, Job, JobEvent, JobOutcome, JobProgress, JobStatus, Lease, NewJob, RunnerEvent, RunnerInfo, RunnerRecord } from '../src/jobs/types';
import type { ServiceEvent } from '../src/events/service-event-log';
import type { Take } from '../src/ratelimit/rate-buckets';

export type RpcResult<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo };

/** Who calls: an isolate's stub client, and the last event it has seen (none yet: events from this call on). */
export interface Caller {
  isolate: string;
  cursor: number | undefined;
}

/** What the object tells every isolate: job and runner events, tool state changes, service events (GET /events). */
export type BrokerEventBody = { job: JobEvent } | { runner: RunnerEvent } | { tool: { name: string; enabled: boolean } } | { service: ServiceEvent };

/** One event as an isolate receives it: `local` when its own call caused it (or it is the first to hear of it). */
export type DeliveredEvent = { seq: number; origin: EventOrigin } & BrokerEventBody;

export interface Reply<T> {
  result: RpcResult<T>;
  events: DeliveredEvent[];
  /** The newest event's number when the reply was made. */
  head: number;
}

/** Options of one broker object; from the bindings unless `configure` set them on a fresh object. */
export interface BrokerOptions {
  leaseMs: number;
  maxQueued: number;
  /** Finished jobs kept (SQLite), the oldest dropped first with their idempotency keys. */
  maxRetained: number;
}

export interface ClaimCall {
  ticket: string;
  runnerId: string;
  tools: readonly string[];
  waitMs: number;
}

type Filter = { status?: JobStatus | undefined; tool?: string | undefined };
type Beat = { cancelRequested: boolean; leaseExpiresAt: number };

export interface BrokerRpc {
  /** Set the options of an object that holds no job yet (tests, per-tenant objects); false when it holds jobs. */
  configure(from: Caller, options: BrokerOptions): Promise<Reply<boolean>>;
  enqueue(from: Caller, input: NewJob): Promise<Reply<Job>>;
  claim(from: Caller, call: ClaimCall): Promise<Reply<Lease | null>>;
  waitControl(from: Caller, ticket: string, runnerId: string, waitMs: number): Promise<Reply<RunnerControl[]>>;
  /**
   * Give up a parked claim or control poll (its caller went away); a no-op once it was answered. It may arrive before
   * the call it gives up (every call has its own stub): that call then answers at once, as if nothing were there.
   */
  abandon(from: Caller, ticket: string): Promise<Reply<void>>;
  heartbeat(from: Caller, id: string, leaseId: string, progress?: JobProgress): Promise<Reply<Beat>>;
  complete(from: Caller, id: string, leaseId: string, outcome: JobOutcome): Promise<Reply<{ duplicate: boolean; job: Job }>>;
  cancel(from: Caller, id: string, reason: ErrorInfo): Promise<Reply<Job | undefined>>;
  expire(from: Caller, id: string, error: ErrorInfo): Promise<Reply<Job | undefined>>;
  failIfQueued(from: Caller, id: string, error: ErrorInfo): Promise<Reply<boolean>>;
  get(from: Caller, id: string): Promise<Reply<Job | undefined>>;
  findByKey(from: Caller, principal: string, key: string): Promise<Reply<Job | undefined>>;
  list(from: Caller, filter: Filter): Promise<Reply<Job[]>>;
  /** The job once it is terminal; NOT_FOUND for an unknown id. */
  waitForEnd(from: Caller, id: string): Promise<Reply<Job>>;
  runners(from: Caller): Promise<Reply<RunnerRecord[]>>;
  register(from: Caller, info: RunnerInfo): Promise<Reply<{ rejoined: boolean }>>;
  deregister(from: Caller, runnerId: string): Promise<Reply<boolean>>;
  /** Tool enable/disable state (functions/src/registry/tool-state-store.ts): record the start state, answer the current. */
  toolStateInit(from: Caller, start: Record<string, boolean>): Promise<Reply<Record<string, boolean>>>;
  toolStateSet(from: Caller, name: string, enabled: boolean): Promise<Reply<boolean>>;
  /** The service event log (functions/src/events/service-event-log.ts). */
  publishEvent(from: Caller, type: string, data: Record<string, unknown>): Promise<Reply<ServiceEvent>>;
  eventsSince(from: Caller, lastId: number): Promise<Reply<{ events: ServiceEvent[]; gap: boolean }>>;
  /** One token from the shared rate bucket `key` (functions/src/ratelimit/rate-buckets.ts). */
  takeRateToken(key: string, capacity: number, windowMs: number): Promise<Take>;
}
