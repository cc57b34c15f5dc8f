/**
 * The jobs this runner is running, by id, so a control message (runner/src/control-loop.ts) can stop one at once.
 * A stop names the lease: one for an older lease of the same job (it was requeued to us) is ignored.
 */
export type StopReason = 'cancelled' | 'lease-lost';

interface Entry {
  leaseId: string;
  cancel: AbortController;
}

/** How many stops for jobs not (yet) registered are remembered: a stop can overtake the claim reply's handling. */
const EARLY_STOPS = 64;

export class RunningJobs {
  private readonly jobs = new Map<string, Entry>();
  private readonly early = new Map<string, StopReason>();

  /** Track a job while it runs; returns the function that forgets it. A stop that came first applies at once. */
  add(jobId: string, leaseId: string, cancel: AbortController): () => void {
    const entry = { leaseId, cancel };
    this.jobs.set(jobId, entry);
    const key = `${jobId}\u0000${leaseId}`;
    const early = this.early.get(key);
    if (early) {
      this.early.delete(key);
      cancel.abort(early);
    }
    return () => {
      if (this.jobs.get(jobId) === entry) this.jobs.delete(jobId);
    };
  }

  /** Stop a job now (the abort reaches runSandboxed or a native tool's signal); false if it is not running here. */
  stop(jobId: string, leaseId: string, reason: StopReason): boolean {
    const entry = this.jobs.get(jobId);
    if (entry?.leaseId === leaseId) {
      entry.cancel.abort(reason);
      return true;
    }
    if (!entry) {
      this.early.set(`${jobId}\u0000${leaseId}`, reason);
      while (this.early.size > EARLY_STOPS) this.early.delete(this.early.keys().next().value as string);
    }
    return false;
  }

  get size(): number {
    return this.jobs.size;
  }
}
