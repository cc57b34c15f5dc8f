import type { RunnerControl } from '../../shared/jobs/contract';

/**
 * Control messages waiting for each runner (docs/design.md, "Job protocol"): a runner parked in its control
 * long-poll is woken at once; otherwise the message waits for its next poll. Delivery is at most once and best
 * effort: the heartbeat reply carries the same news, so a lost message only costs the old heartbeat delay.
 */
export class ControlMailboxes {
  /** Per runner at most this many messages wait; older ones go first (the heartbeat covers them). */
  static readonly MAX_PENDING = 64;
  private readonly pending = new Map<string, RunnerControl[]>();
  private readonly waiting = new Map<string, Set<(messages: RunnerControl[]) => void>>();

  /** Deliver to every poll this runner has parked (two processes under one id each ignore jobs they do not run). */
  post(runnerId: string, message: RunnerControl): void {
    const parked = this.waiting.get(runnerId);
    if (parked && parked.size > 0) {
      this.waiting.delete(runnerId);
      for (const wake of parked) wake([message]);
      return;
    }
    const queue = this.pending.get(runnerId) ?? [];
    queue.push(message);
    if (queue.length > ControlMailboxes.MAX_PENDING) queue.shift();
    this.pending.set(runnerId, queue);
  }

  /** Messages waiting now, else the first one posted within `waitMs`, else [] (also when `signal` aborts). */
  wait(runnerId: string, waitMs: number, signal?: AbortSignal): Promise<RunnerControl[]> {
    const queued = this.pending.get(runnerId);
    if (queued && queued.length > 0) {
      this.pending.delete(runnerId);
      return Promise.resolve(queued);
    }
    if (waitMs <= 0 || signal?.aborted) return Promise.resolve([]);
    return new Promise<RunnerControl[]>((resolve) => {
      const set = this.waiting.get(runnerId) ?? new Set();
      const wake = (messages: RunnerControl[]): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', giveUp);
        set.delete(wake);
        resolve(messages);
      };
      const giveUp = (): void => {
        if (set.delete(wake)) wake([]);
        if (set.size === 0 && this.waiting.get(runnerId) === set) this.waiting.delete(runnerId);
      };
      const timer = setTimeout(giveUp, waitMs);
      signal?.addEventListener('abort', giveUp, { once: true });
      set.add(wake);
      this.waiting.set(runnerId, set);
    });
  }

  /** A job ended: a stop message for it that nobody collected is moot. */
  forgetJob(runnerId: string, jobId: string): void {
    const queue = this.pending.get(runnerId);
    if (!queue) return;
    const kept = queue.filter((m) => m.jobId !== jobId);
    if (kept.length > 0) this.pending.set(runnerId, kept);
    else this.pending.delete(runnerId);
  }

  /** A runner left: drop what waited for it. */
  forgetRunner(runnerId: string): void {
    this.pending.delete(runnerId);
  }

  /** Release every parked poll with nothing (shutdown). */
  drain(): void {
    for (const set of this.waiting.values()) for (const wake of [...set]) wake([]);
    this.waiting.clear();
    this.pending.clear();
  }
}
