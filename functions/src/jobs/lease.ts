/** Pure lease maths; no storage. */
export interface LeaseSettings {
  /** How long a lease lives without a heartbeat. */
  leaseMs: number;
}

export function leaseExpiry(now: number, settings: LeaseSettings): number {
  return now + settings.leaseMs;
}

/** The runner heartbeats three times per lease so one lost heartbeat does not lose the job. */
export function heartbeatInterval(settings: LeaseSettings): number {
  return Math.max(100, Math.floor(settings.leaseMs / 3));
}

export function isLeaseLive(expiresAt: number | undefined, now: number): boolean {
  return expiresAt !== undefined && expiresAt > now;
}

/** A lost lease requeues the job once; the next loss fails it. */
export function mayRequeue(attempts: number, maxAttempts = 2): boolean {
  return attempts < maxAttempts;
}
