import type { Lease } from '../../src/jobs/types';

/** A claim parked on this replica. */
interface Parked {
  runnerId: string;
  tools: ReadonlySet<string>;
  signal: AbortSignal | undefined;
  /** Past waitMs: resolves null, but only after an attempt in flight has answered (its lease must not be lost). */
  timedOut: boolean;
  busy: boolean;
  done: boolean;
  settle(lease: Lease | null, error?: unknown): void;
}

/** One claim attempt in Redis (atomic, Lua); null when nothing is queued for `tools`. */
export type TryClaim = (runnerId: string, tools: readonly string[]) => Promise<Lease | null>;
/** Give back a lease whose claim was abandoned while it was being taken (the runner hung up). */
export type Release = (lease: Lease) => Promise<void>;

/**
 * The claims parked on this replica, oldest first (docs/design.md, "Broker"). They try Redis when parked and again
 * whenever a job for one of their tools is queued on any replica (a `wake` on the event channel), never on a
 * timer. One round runs at a time per replica: as many claims try at once as jobs were announced, then one at a
 * time until an attempt finds nothing for its tools (skipped for the rest of the round); a claim that found nothing
 * waits for the next wake.
 */
export class ClaimPump {
  private waiting: Parked[] = [];
  private dirty = new Set<string>();
  /** Jobs announced since the last round: how many claims may try at once. */
  private wakes = 0;
  private running = false;

  constructor(
    private readonly tryClaim: TryClaim,
    private readonly release: Release,
  ) {}

  /** Park a claim until a job is leased to it, `waitMs` passes or `signal` aborts (then null). */
  park(request: { runnerId: string; tools: readonly string[]; waitMs: number; signal?: AbortSignal | undefined }): Promise<Lease | null> {
    return new Promise<Lease | null>((resolve, reject) => {
      const giveUp = (): void => {
        parked.timedOut = true;
        if (!parked.busy) parked.settle(null);
      };
      const timer = setTimeout(giveUp, request.waitMs);
      const parked: Parked = {
        runnerId: request.runnerId,
        tools: new Set(request.tools),
        signal: request.signal,
        timedOut: false,
        busy: false,
        done: false,
        settle: (lease, error) => {
          if (parked.done) return;
          parked.done = true;
          clearTimeout(timer);
          request.signal?.removeEventListener('abort', giveUp);
          this.waiting = this.waiting.filter((w) => w !== parked);
          if (error !== undefined) reject(error);
          else resolve(lease);
        },
      };
      request.signal?.addEventListener('abort', giveUp, { once: true });
      this.waiting.push(parked);
      this.wake(request.tools);
    });
  }

  /** A job for one of `tools` was queued (or may be): let the parked claims that can run it try. */
  wake(tools: Iterable<string>, jobs = 1): void {
    for (const t of tools) this.dirty.add(t);
    this.wakes += jobs;
    if (!this.running) void this.run();
  }

  /** Every parked claim tries again (the event channel reconnected: wake-ups may have been missed). */
  wakeAll(): void {
    this.wake(
      this.waiting.flatMap((w) => [...w.tools]),
      this.waiting.length,
    );
  }

  /** Release every parked claim with no job (shutdown). */
  drain(): void {
    for (const w of [...this.waiting]) w.settle(null);
  }

  private async run(): Promise<void> {
    this.running = true;
    try {
      while (this.dirty.size > 0) {
        const tools = this.dirty;
        let width = Math.max(1, this.wakes);
        this.dirty = new Set();
        this.wakes = 0;
        // Until an attempt finds nothing for them, these tools may have jobs queued: the oldest claims that can run
        // them try, as many at once as jobs were announced, then one at a time until one finds nothing.
        for (;;) {
          const batch = this.waiting.filter((w) => !w.done && [...w.tools].some((t) => tools.has(t))).slice(0, width);
          if (batch.length === 0) break;
          width = 1;
          const found = await Promise.all(batch.map((w) => this.attempt(w)));
          // Nothing queued for any of its tools just now: skip them for the rest of this round.
          batch.forEach((w, i) => {
            if (!found[i]) for (const t of w.tools) tools.delete(t);
          });
          if (tools.size === 0) break;
        }
      }
    } finally {
      this.running = false;
    }
  }

  /** True when the claim got a job. */
  private async attempt(w: Parked): Promise<boolean> {
    if (w.signal?.aborted || w.timedOut) {
      w.settle(null);
      return true;
    }
    w.busy = true;
    let lease: Lease | null;
    try {
      lease = await this.tryClaim(w.runnerId, [...w.tools]);
    } catch (err) {
      w.settle(null, err);
      return true;
    } finally {
      w.busy = false;
    }
    if (lease && w.signal?.aborted) {
      // The runner hung up while its job was being taken: put the job back for the next claim.
      await this.release(lease).catch(() => undefined);
      w.settle(null);
      return true;
    }
    if (lease || w.timedOut) w.settle(lease);
    return lease !== null;
  }
}
