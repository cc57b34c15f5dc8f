import type { Job } from './types';

/** Callers waiting for a job to end (held synchronous calls), by job id. */
export class EndWaiters {
  private readonly byJob = new Map<string, Set<(job: Job) => void>>();

  /** Resolves when `settle` is called for the job; rejects with the signal's reason if it aborts first. */
  wait(id: string, signal?: AbortSignal): Promise<Job> {
    return new Promise<Job>((resolve, reject) => {
      const set = this.byJob.get(id) ?? new Set();
      const done = (j: Job): void => {
        signal?.removeEventListener('abort', onAbort);
        resolve(j);
      };
      const onAbort = (): void => {
        set.delete(done);
        reject(signal?.reason ?? new Error('aborted'));
      };
      set.add(done);
      this.byJob.set(id, set);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** The job ended: wake everyone waiting for it. */
  settle(job: Job): void {
    for (const resolve of this.byJob.get(job.id) ?? []) resolve(job);
    this.byJob.delete(job.id);
  }
}
