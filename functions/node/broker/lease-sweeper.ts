/**
 * When this replica sweeps lost leases and quiet runners in Redis (docs/design.md, "Broker"): one timer, set for the
 * next moment something can expire (the sweep script answers when that is, by the Redis clock), plus one slow
 * periodic sweep as a safety net for leases handed out by a replica that died. Whichever replica sweeps first does
 * the work; the sweep is one atomic script, so the others find nothing left.
 */
export class LeaseSweeper {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private dueAt = Infinity;
  private running = false;
  private again = false;
  private readonly safety: ReturnType<typeof setInterval>;

  /** `sweep` returns ms until the next possible expiry, or -1 when nothing is pending. */
  constructor(
    private readonly sweep: () => Promise<number>,
    safetyMs: number,
  ) {
    this.safety = setInterval(() => void this.runNow(), safetyMs);
    this.safety.unref?.();
  }

  /** Sweep in `ms` (a lease was just granted or renewed here), unless a sweep is already due sooner. */
  scheduleIn(ms: number): void {
    const at = Date.now() + Math.max(0, ms);
    if (this.timer !== undefined && at >= this.dueAt) return;
    clearTimeout(this.timer);
    this.dueAt = at;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.dueAt = Infinity;
        void this.runNow();
      },
      Math.max(0, ms),
    );
    this.timer.unref?.();
  }

  async runNow(): Promise<void> {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    try {
      do {
        this.again = false;
        const next = await this.sweep();
        if (next >= 0) this.scheduleIn(next);
      } while (this.again);
    } catch {
      // Redis is down: the safety sweep tries again; calls meanwhile fail with UNAVAILABLE.
    } finally {
      this.running = false;
    }
  }

  close(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    clearInterval(this.safety);
  }
}
