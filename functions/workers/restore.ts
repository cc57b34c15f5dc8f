/**
 * Taking up jobs again after the Durable Object restarted (eviction, deploy, crash; docs/design.md, "Workers"). Its
 * memory (queue, parked claims, lease timers) is gone but the job records are in SQLite (job-archive.ts):
 * - a queued job is queued again under its id;
 * - a running job whose lease is still live is leased back to its runner under the same lease id, so the runner's
 *   next heartbeat or report is accepted as if nothing happened;
 * - a running job whose lease ran out meanwhile is handled as a lost lease (lease.ts): requeued once, else failed,
 *   or cancelled if that was asked for.
 * The memory store (functions/src/jobs/memory-store.ts) does the queueing, so its rules stay the only ones: ids come
 * from `IdSource`, which hands out the restored job's id and lease id first; the record returned by enqueue is the
 * store's own, so its history (attempts, times) is copied back onto it before anything else can happen.
 */
import { errorInfo } from '../shared/errors/codes';
import { isLeaseLive, mayRequeue } from '../src/jobs/lease';
import type { MemoryJobStore } from '../src/jobs/memory-store';
import type { Job, NewJob } from '../src/jobs/types';
import type { JobArchive } from './job-archive';

/** Ids for the memory store: random ones, except those a restore asks for next (in the order the store uses them). */
export class IdSource {
  private readonly wanted: string[] = [];
  readonly next = (): string => this.wanted.shift() ?? crypto.randomUUID();
  use(...ids: string[]): void {
    this.wanted.push(...ids);
  }
}

function newJobOf(job: Job): NewJob {
  return {
    tool: job.tool,
    params: job.params,
    target: job.target,
    principal: job.principal,
    timeoutSec: job.timeoutSec,
    idempotencyKey: job.idempotencyKey,
    traceparent: job.traceparent,
  };
}

/** What the record had that enqueue starts afresh. */
function history(job: Job): Partial<Job> {
  return {
    createdAt: job.createdAt,
    attempts: job.attempts,
    claimedAt: job.claimedAt,
    progress: job.progress,
    cancelRequested: job.cancelRequested,
    error: job.error,
  };
}

export async function restoreJobs(store: MemoryJobStore, archive: JobArchive, ids: IdSource, now: number): Promise<void> {
  const live = archive.live();
  const requeue: Job[] = live.filter((j) => j.status === 'queued');
  // Running jobs first: each is leased back before any other job is queued, so the claim takes exactly that job.
  for (const job of live.filter((j) => j.status === 'running')) {
    if (job.runnerId && job.leaseId && isLeaseLive(job.leaseExpiresAt, now)) {
      ids.use(job.id, job.leaseId);
      const restored = await store.enqueue(newJobOf(job));
      await store.claim({ runnerId: job.runnerId, tools: [job.tool], waitMs: 0 });
      archive.save(Object.assign(restored, history(job)));
    } else if (job.cancelRequested) {
      archive.save({ ...job, status: 'cancelled', leaseId: undefined, finishedAt: now, error: job.error ?? errorInfo('CANCELLED', 'Job cancelled.') });
    } else if (mayRequeue(job.attempts)) {
      requeue.push({ ...job, status: 'queued', runnerId: undefined, leaseId: undefined });
    } else {
      const error = errorInfo('EXECUTION_ERROR', `Runner stopped responding; job lost its lease ${job.attempts} times.`, {
        recoverySuggestion: 'Check the runners (GET /health) and call again.',
      });
      archive.save({ ...job, status: 'failed', leaseId: undefined, finishedAt: now, error });
    }
  }
  for (const job of requeue) {
    ids.use(job.id);
    const restored = await store.enqueue(newJobOf(job));
    archive.save(Object.assign(restored, history(job)));
  }
}
