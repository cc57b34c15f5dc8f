/** One timer per leased job: fires when the lease runs out without a heartbeat. */
export class LeaseTimers {
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();

  /** (Re)arm the job's timer to fire `onExpire` after `inMs`. */
  arm(jobId: string, inMs: number, onExpire: () => void): void {
    clearTimeout(this.timers.get(jobId));
    this.timers.set(jobId, setTimeout(onExpire, Math.max(0, inMs)));
  }

  clear(jobId: string): void {
    clearTimeout(this.timers.get(jobId));
    this.timers.delete(jobId);
  }

  clearAll(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }
}
