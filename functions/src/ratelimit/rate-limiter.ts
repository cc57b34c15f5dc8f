/**
 * Rate limit per principal and tool (docs/security.md, "Service": token bucket, 10 calls per 60 s, a client table
 * capped at 1000 with stale entries cleaned). The table is kept in least-recently-used order, so stale
 * entries (idle a whole window: their bucket is full again) sit at the front and are dropped first; when
 * every entry is active, the least recently used one goes (that principal simply starts with a full bucket).
 */
import { type Bucket, fullBucket, isStale, takeToken } from './token-bucket';

export interface RateLimiterOptions {
  /** Calls per window for a tool; 0 means unlimited. */
  limitFor: (tool: string) => number;
  windowMs: number;
  /** Most (principal, tool) entries kept; default 1000. */
  maxEntries?: number | undefined;
  /** Clock in ms; injected by tests. */
  now?: (() => number) | undefined;
}

export type RateDecision = { allowed: true; limit: number; remaining: number } | { allowed: false; limit: number; windowSec: number; retryAfterSec: number };

export class RateLimiter {
  private readonly table = new Map<string, Bucket>();
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(private readonly options: RateLimiterOptions) {
    if (!(options.windowMs > 0)) throw new RangeError('windowMs must be positive');
    this.maxEntries = options.maxEntries ?? 1000;
    if (!Number.isInteger(this.maxEntries) || this.maxEntries < 1) throw new RangeError('maxEntries must be a positive integer');
    this.now = options.now ?? Date.now;
  }

  /** Count one call by `principal` to `tool`. */
  take(principal: string, tool: string): RateDecision {
    const limit = this.options.limitFor(tool);
    if (limit <= 0) return { allowed: true, limit: 0, remaining: Number.POSITIVE_INFINITY };
    const now = this.now();
    const key = `${principal}\u0000${tool}`;
    let bucket = this.table.get(key);
    if (bucket) {
      this.table.delete(key); // re-inserted below: most recently used last
    } else {
      this.makeRoom(now);
      bucket = fullBucket(limit, now);
    }
    this.table.set(key, bucket);
    const taken = takeToken(bucket, limit, this.options.windowMs, now);
    if (taken.allowed) return { allowed: true, limit, remaining: taken.remaining };
    return { allowed: false, limit, windowSec: this.options.windowMs / 1000, retryAfterSec: Math.max(1, Math.ceil(taken.retryAfterMs / 1000)) };
  }

  /** Entries held now (for tests and metrics). */
  get size(): number {
    return this.table.size;
  }

  private makeRoom(now: number): void {
    for (const [key, bucket] of this.table) {
      if (this.table.size < this.maxEntries && !isStale(bucket, this.options.windowMs, now)) return;
      // Front of the map = least recently used: stale ones first, then the oldest while still full.
      this.table.delete(key);
    }
  }
}
