/**
 * Rate limit per principal and tool (docs/security.md, "Service": token bucket, 10 calls per 60 s, a client table
 * capped at 1000 with stale entries cleaned). The buckets live in a RateBuckets store: this process's memory by
 * default (rate-buckets.ts), Redis when replicas share one (docs/design.md, "Broker"), so the limit holds across them.
 */
import { MemoryRateBuckets, type RateBuckets, type Take } from './rate-buckets';

export interface RateLimiterOptions {
  /** Calls per window for a tool; 0 means unlimited. */
  limitFor: (tool: string) => number;
  windowMs: number;
  /** Where buckets live; in memory (with `maxEntries` and `now`) when omitted. */
  buckets?: RateBuckets | undefined;
  /** Most (principal, tool) entries kept by the memory store; default 1000. */
  maxEntries?: number | undefined;
  /** Clock in ms for the memory store; injected by tests. */
  now?: (() => number) | undefined;
}

export type RateDecision = { allowed: true; limit: number; remaining: number } | { allowed: false; limit: number; windowSec: number; retryAfterSec: number };

export class RateLimiter {
  readonly buckets: RateBuckets;

  constructor(private readonly options: RateLimiterOptions) {
    if (!(options.windowMs > 0)) throw new RangeError('windowMs must be positive');
    this.buckets = options.buckets ?? new MemoryRateBuckets({ maxEntries: options.maxEntries, now: options.now });
  }

  /** Count one call by `principal` to `tool`. Rejects when the bucket store fails (the caller fails closed). */
  async take(principal: string, tool: string): Promise<RateDecision> {
    const limit = this.options.limitFor(tool);
    if (limit <= 0) return { allowed: true, limit: 0, remaining: Number.POSITIVE_INFINITY };
    return this.decision(limit, await this.buckets.take(`${principal}\u0000${tool}`, limit, this.options.windowMs));
  }

  /**
   * The same, decided at once when the buckets are this process's own (the default store cannot fail); undefined with
   * a shared store, whose answer takes a round trip (use take). Spares a call's path three promise turns (issue 12).
   */
  takeNow(principal: string, tool: string): RateDecision | undefined {
    if (!(this.buckets instanceof MemoryRateBuckets)) return undefined;
    const limit = this.options.limitFor(tool);
    if (limit <= 0) return { allowed: true, limit: 0, remaining: Number.POSITIVE_INFINITY };
    return this.decision(limit, this.buckets.takeNow(`${principal}\u0000${tool}`, limit, this.options.windowMs));
  }

  private decision(limit: number, taken: Take): RateDecision {
    if (taken.allowed) return { allowed: true, limit, remaining: taken.remaining };
    return { allowed: false, limit, windowSec: this.options.windowMs / 1000, retryAfterSec: Math.max(1, Math.ceil(taken.retryAfterMs / 1000)) };
  }

  /** Entries held by the memory store (for tests); undefined for a shared store. */
  get size(): number | undefined {
    return this.buckets instanceof MemoryRateBuckets ? this.buckets.size : undefined;
  }
}
