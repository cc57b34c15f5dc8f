import type { RunnerControl } from '../../shared/jobs/contract';

/** Take the runner's waiting messages, or park its poll in Redis under `token` for `waitMs` (then []). */
export type TakeControl = (runnerId: string, token: string, waitMs: number) => Promise<RunnerControl[]>;
/** The poll ended: forget its token in Redis (best effort). */
export type Unpark = (runnerId: string, token: string) => void;

/**
 * Runners' control long-polls parked on this replica (docs/design.md, "Job protocol" and "Broker"). A message for a
 * runner with a poll parked on any replica is published on the event channel and wakes every such poll here
 * (deliver); otherwise Redis keeps it for the runner's next poll. At most once, best effort, like the memory store.
 */
export class ControlPolls {
  private readonly waiting = new Map<string, Set<(messages: RunnerControl[]) => void>>();

  constructor(
    private readonly take: TakeControl,
    private readonly unpark: Unpark,
  ) {}

  wait(runnerId: string, waitMs: number, signal?: AbortSignal): Promise<RunnerControl[]> {
    const token = crypto.randomUUID();
    if (waitMs <= 0 || signal?.aborted) return this.take(runnerId, token, 0);
    return new Promise<RunnerControl[]>((resolve, reject) => {
      const set = this.waiting.get(runnerId) ?? new Set();
      let done = false;
      const end = (): boolean => {
        if (done) return false;
        done = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', giveUp);
        set.delete(wake);
        if (set.size === 0 && this.waiting.get(runnerId) === set) this.waiting.delete(runnerId);
        this.unpark(runnerId, token);
        return true;
      };
      const wake = (messages: RunnerControl[]): void => {
        if (end()) resolve(messages);
      };
      const giveUp = (): void => wake([]);
      const timer = setTimeout(giveUp, waitMs);
      signal?.addEventListener('abort', giveUp, { once: true });
      // Registered before asking Redis, so a message published meanwhile is not missed.
      set.add(wake);
      this.waiting.set(runnerId, set);
      this.take(runnerId, token, waitMs).then(
        (pending) => {
          if (pending.length > 0) wake(pending);
        },
        (err: unknown) => {
          if (end()) reject(err);
        },
      );
    });
  }

  /** A control message arrived on the event channel: every poll of that runner parked here gets it. */
  deliver(runnerId: string, message: RunnerControl): void {
    for (const wake of [...(this.waiting.get(runnerId) ?? [])]) wake([message]);
  }

  /** Release every parked poll with nothing (shutdown). */
  drain(): void {
    for (const set of [...this.waiting.values()]) for (const wake of [...set]) wake([]);
  }
}
