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

/** Claims a job may have: a lost lease requeues it once; the next loss fails it. */
export const MAX_LEASE_ATTEMPTS = 2;

/** A lost lease requeues the job once; the next loss fails it. */
export function mayRequeue(attempts: number, maxAttempts = MAX_LEASE_ATTEMPTS): boolean {
  return attempts < maxAttempts;
}
