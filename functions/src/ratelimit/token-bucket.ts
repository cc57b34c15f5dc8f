/**
 * Token bucket maths, pure: `capacity` tokens, refilled continuously at `capacity` per `windowMs`.
 * A full bucket allows a burst of `capacity` calls; after that one call every windowMs / capacity.
 */
export interface Bucket {
  tokens: number;
  /** When `tokens` was last brought up to date (ms, the limiter's clock). */
  updatedAt: number;
}

export type Take = { allowed: true; remaining: number } | { allowed: false; retryAfterMs: number };

export function fullBucket(capacity: number, now: number): Bucket {
  return { tokens: capacity, updatedAt: now };
}

/** Refill for the time since the last update, then take one token if there is one. Mutates `bucket`. */
export function takeToken(bucket: Bucket, capacity: number, windowMs: number, now: number): Take {
  const elapsed = Math.max(0, now - bucket.updatedAt);
  bucket.tokens = Math.min(capacity, bucket.tokens + (elapsed * capacity) / windowMs);
  bucket.updatedAt = Math.max(bucket.updatedAt, now);
  if (bucket.tokens >= 1) {
    bucket.tokens -= 1;
    return { allowed: true, remaining: Math.floor(bucket.tokens) };
  }
  return { allowed: false, retryAfterMs: ((1 - bucket.tokens) * windowMs) / capacity };
}

/** True when the bucket would be full again by `now`: forgetting it loses nothing. */
export function isStale(bucket: Bucket, windowMs: number, now: number): boolean {
  return now - bucket.updatedAt >= windowMs;
}
