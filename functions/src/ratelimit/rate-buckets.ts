/**
 * Where rate-limit buckets live (docs/design.md, "Broker"). One bucket per key (principal and tool), a token bucket of
 * `capacity` calls refilled over `windowMs` (token-bucket.ts). In memory per process by default; the Redis
 * implementation (functions/node/broker/redis-rate-buckets.ts) shares buckets across replicas, and a Durable Object can
 * implement the same interface (no Node-only types here). A failing store throws: the caller fails the call closed.
 */
import { type Bucket, type Take, fullBucket, isStale, takeToken } from './token-bucket';

export type { Take };

export interface RateBuckets {
  /** Take one token from the bucket `key` (created full), atomically for every caller of the same store. */
  take(key: string, capacity: number, windowMs: number): Promise<Take>;
}

export interface MemoryRateBucketsOptions {
  /** Most buckets kept; default 1000 (docs/security.md, "Service"). */
  maxEntries?: number | undefined;
  /** Clock in ms; injected by tests. */
  now?: (() => number) | undefined;
}

/**
 * Buckets in one process, kept in least-recently-used order so stale ones (idle a whole window: full again) sit at
 * the front and are dropped first; when every entry is active the least recently used one goes (it starts full).
 */
export class MemoryRateBuckets implements RateBuckets {
  private readonly table = new Map<string, Bucket>();
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(options: MemoryRateBucketsOptions = {}) {
    this.maxEntries = options.maxEntries ?? 1000;
    if (!Number.isInteger(this.maxEntries) || this.maxEntries < 1) throw new RangeError('maxEntries must be a positive integer');
    this.now = options.now ?? Date.now;
  }

  take(key: string, capacity: number, windowMs: number): Promise<Take> {
    return Promise.resolve(this.takeNow(key, capacity, windowMs));
  }

  /** The same, synchronously (the table is local). */
  takeNow(key: string, capacity: number, windowMs: number): Take {
    const now = this.now();
    let bucket = this.table.get(key);
    if (bucket) {
      this.table.delete(key); // re-inserted below: most recently used last
    } else {
      this.makeRoom(now, windowMs);
      bucket = fullBucket(capacity, now);
    }
    this.table.set(key, bucket);
    return takeToken(bucket, capacity, windowMs, now);
  }

  /** Buckets held now (for tests and metrics). */
  get size(): number {
    return this.table.size;
  }

  private makeRoom(now: number, windowMs: number): void {
    for (const [key, bucket] of this.table) {
      if (this.table.size < this.maxEntries && !isStale(bucket, windowMs, now)) return;
      // Front of the map = least recently used: stale ones first, then the oldest while still full.
      this.table.delete(key);
    }
  }
}
