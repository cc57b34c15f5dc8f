import type { Lease } from './types';

export interface ClaimWaiter {
  runnerId: string;
  tools: ReadonlySet<string>;
  resolve: (lease: Lease | null) => void;
  signal?: AbortSignal | undefined;
}

/** Runners parked in a long-poll claim, oldest first. */
export class ClaimWaiters {
  private waiting: ClaimWaiter[] = [];

  add(waiter: ClaimWaiter): void {
    this.waiting.push(waiter);
  }

  /** Park a claim until `take` hands it a lease, `waitMs` passes or `signal` aborts (then null). */
  wait(request: { runnerId: string; tools: readonly string[]; waitMs: number; signal?: AbortSignal | undefined }): Promise<Lease | null> {
    return new Promise<Lease | null>((resolve) => {
      const waiter: ClaimWaiter = {
        runnerId: request.runnerId,
        tools: new Set(request.tools),
        signal: request.signal,
        resolve: (lease) => {
          clearTimeout(timer);
          request.signal?.removeEventListener('abort', giveUp);
          resolve(lease);
        },
      };
      const giveUp = (): void => {
        if (this.remove(waiter)) waiter.resolve(null);
      };
      const timer = setTimeout(giveUp, request.waitMs);
      request.signal?.addEventListener('abort', giveUp, { once: true });
      this.add(waiter);
    });
  }

  /** Remove and return the oldest live waiter that can run `tool`. */
  take(tool: string): ClaimWaiter | undefined {
    this.waiting = this.waiting.filter((w) => !w.signal?.aborted);
    const index = this.waiting.findIndex((w) => w.tools.has(tool));
    if (index < 0) return undefined;
    return this.waiting.splice(index, 1)[0];
  }

  /** Remove a waiter that timed out or whose request was aborted; false if it was already served. */
  remove(waiter: ClaimWaiter): boolean {
    const index = this.waiting.indexOf(waiter);
    if (index < 0) return false;
    this.waiting.splice(index, 1);
    return true;
  }

  /** Release every waiter with no job (shutdown). */
  drain(): void {
    for (const w of this.waiting.splice(0)) w.resolve(null);
  }
}
