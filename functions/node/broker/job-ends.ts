import { ApiError } from '../../src/errors/api-error';
import { type Job, TERMINAL } from '../../src/jobs/types';

interface Waiter {
  resolve(job: Job): void;
  reject(reason: unknown): void;
}

/**
 * waitForEnd across replicas: a waiter here is settled by the job's terminal event on the event channel, whichever
 * replica ended it. It is registered before the job is read, so an end published in between is not missed.
 */
export class JobEnds {
  private readonly byJob = new Map<string, Set<Waiter>>();

  constructor(private readonly read: (id: string) => Promise<Job | undefined>) {}

  wait(id: string, signal?: AbortSignal): Promise<Job> {
    return new Promise<Job>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const set = this.byJob.get(id) ?? new Set<Waiter>();
      const done = (): void => {
        signal?.removeEventListener('abort', onAbort);
        set.delete(waiter);
        if (set.size === 0 && this.byJob.get(id) === set) this.byJob.delete(id);
      };
      const waiter: Waiter = {
        resolve: (job) => {
          done();
          resolve(job);
        },
        reject: (reason) => {
          done();
          reject(reason);
        },
      };
      const onAbort = (): void => waiter.reject(signal?.reason ?? new Error('aborted'));
      signal?.addEventListener('abort', onAbort, { once: true });
      set.add(waiter);
      this.byJob.set(id, set);
      this.read(id).then(
        (job) => {
          if (!job) waiter.reject(ApiError.of('NOT_FOUND', `No job ${id}.`));
          else if (TERMINAL.has(job.status)) waiter.resolve(job);
        },
        (err: unknown) => waiter.reject(err),
      );
    });
  }

  /** A job event arrived: wake everyone waiting for it if it has ended. */
  settle(job: Job): void {
    if (!TERMINAL.has(job.status)) return;
    for (const w of [...(this.byJob.get(job.id) ?? [])]) w.resolve(job);
  }

  /** The event channel reconnected: an end may have been missed, so read every awaited job again. */
  recheck(): void {
    for (const id of [...this.byJob.keys()]) {
      void this.read(id).then(
        (job) => job && this.settle(job),
        () => undefined,
      );
    }
  }
}
