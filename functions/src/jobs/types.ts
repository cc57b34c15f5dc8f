import type { ErrorInfo } from '../../shared/errors/error-info';
import type { JobOutcome, JobProgress, JobStatus } from '../../shared/jobs/contract';
import type { SandboxMode, SandboxProtection } from '../../shared/tool/executor';

export type { JobOutcome, JobProgress, JobStatus };

export const TERMINAL: ReadonlySet<JobStatus> = new Set(['succeeded', 'failed', 'cancelled']);

export interface Job {
  id: string;
  tool: string;
  params: Record<string, unknown>;
  target: string;
  principal: string;
  status: JobStatus;
  timeoutSec: number;
  createdAt: number;
  claimedAt?: number | undefined;
  finishedAt?: number | undefined;
  runnerId?: string | undefined;
  leaseId?: string | undefined;
  leaseExpiresAt?: number | undefined;
  /** How many times a runner has claimed it (a lost lease requeues once). */
  attempts: number;
  cancelRequested: boolean;
  progress?: JobProgress | undefined;
  result?: Record<string, unknown> | undefined;
  error?: ErrorInfo | undefined;
  resolvedAddress?: string | undefined;
  durationMs?: number | undefined;
  /** Client-chosen key: a retry with the same key reattaches to this job instead of starting another. */
  idempotencyKey?: string | undefined;
  /** W3C traceparent of the request that created the job; the runner's spans continue this trace. */
  traceparent?: string | undefined;
}

export type NewJob = Pick<Job, 'tool' | 'params' | 'target' | 'principal' | 'timeoutSec'> & {
  idempotencyKey?: string | undefined;
  traceparent?: string | undefined;
};

/** What a runner receives when it claims a job. */
export interface Lease {
  job: Job;
  leaseId: string;
  leaseExpiresAt: number;
  heartbeatIntervalMs: number;
}

export interface ClaimRequest {
  runnerId: string;
  tools: readonly string[];
  waitMs: number;
  signal?: AbortSignal | undefined;
}

/**
 * Which replica caused an event: absent or `local` = this process; `remote` = another replica on the same broker
 * (docs/design.md, "Broker"). Counting and auditing listeners take local events only, so each event counts once.
 */
export type EventOrigin = 'local' | 'remote';

export type JobEvent = (
  | { type: 'queued' | 'claimed' | 'requeued'; job: Job }
  | { type: 'progress'; job: Job; progress: JobProgress }
  | { type: 'succeeded' | 'failed' | 'cancelled'; job: Job }
) & { origin?: EventOrigin };

/** What a runner announces at start-up (POST /runner/register). Runners that never register are known from their claims. */
export interface RunnerInfo {
  runnerId: string;
  tools: readonly string[];
  version?: string | undefined;
  /** Raw sockets available (root or CAP_NET_RAW). */
  privileged?: boolean | undefined;
  /** Jobs it runs at once. */
  capacity?: number | undefined;
  /** Tools it knows but cannot offer, with the reason it gave (sanitised and bounded by the API). */
  unavailable?: Readonly<Record<string, string>> | undefined;
  /** How it confines jobs: what is in force and what this host could not give (shown in /health). */
  sandbox?: RunnerSandboxReport | undefined;
}

/** A runner's sandbox as it reported it at registration (docs/security.md, "Sandbox": degrade loudly). */
export interface RunnerSandboxReport {
  mode: SandboxMode;
  protections: readonly SandboxProtection[];
  lacking: readonly SandboxProtection[];
}

/** A runner the API counts as connected: registered, parked in a claim, or seen within the lease window. */
export interface RunnerRecord extends RunnerInfo {
  lastSeen: number;
  /** False for runners known only from their claims (older runners that do not register). */
  registered: boolean;
}

export type RunnerLeftReason = 'deregistered' | 'not-seen';

export type RunnerEvent = ({ type: 'joined'; runner: RunnerRecord; rejoined: boolean } | { type: 'left'; runner: RunnerRecord; reason: RunnerLeftReason }) & {
  origin?: EventOrigin;
};
