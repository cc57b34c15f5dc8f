import { describe, expect, it } from 'vitest';
import { RateLimiter } from './rate-limiter';
import { takeToken } from './token-bucket';

function limiter(limit = 10, maxEntries = 1000) {
  const clock = { t: 1_000_000 };
  const rl = new RateLimiter({ limitFor: () => limit, windowMs: 60_000, maxEntries, now: () => clock.t });
  return { rl, clock };
}

describe('token bucket', () => {
  it('allows a burst of the capacity, then one call per window/capacity', () => {
    const b = { tokens: 10, updatedAt: 0 };
    for (let i = 0; i < 10; i++) expect(takeToken(b, 10, 60_000, 0).allowed).toBe(true);
    expect(takeToken(b, 10, 60_000, 0)).toEqual({ allowed: false, retryAfterMs: 6000 });
    expect(takeToken(b, 10, 60_000, 5999).allowed).toBe(false);
    expect(takeToken(b, 10, 60_000, 6000).allowed).toBe(true);
  });

  it('never holds more than its capacity however long it idles', () => {
    const b = { tokens: 0, updatedAt: 0 };
    takeToken(b, 3, 60_000, 10 * 60_000);
    expect(b.tokens).toBe(2);
  });
});

describe('RateLimiter', () => {
  it('refuses the 11th call within the window with the seconds to wait', async () => {
    const { rl } = limiter();
    for (let i = 0; i < 10; i++) expect((await rl.take('alice', 'ping')).allowed).toBe(true);
    expect(await rl.take('alice', 'ping')).toEqual({ allowed: false, limit: 10, windowSec: 60, retryAfterSec: 6 });
  });

  it('keeps principals and tools apart', async () => {
    const { rl } = limiter(1);
    expect((await rl.take('alice', 'ping')).allowed).toBe(true);
    expect((await rl.take('alice', 'ping')).allowed).toBe(false);
    expect((await rl.take('bob', 'ping')).allowed).toBe(true);
    expect((await rl.take('alice', 'nmap')).allowed).toBe(true);
  });

  it('refills with time: a full window later the whole burst is back', async () => {
    const { rl, clock } = limiter();
    for (let i = 0; i < 10; i++) await rl.take('alice', 'ping');
    expect((await rl.take('alice', 'ping')).allowed).toBe(false);
    clock.t += 60_000;
    for (let i = 0; i < 10; i++) expect((await rl.take('alice', 'ping')).allowed).toBe(true);
    expect((await rl.take('alice', 'ping')).allowed).toBe(false);
  });

  it('does not count at all when the limit is 0 (off)', async () => {
    const { rl } = limiter(0);
    for (let i = 0; i < 100; i++) expect((await rl.take('alice', 'ping')).allowed).toBe(true);
    expect(rl.size).toBe(0);
  });

  it('keeps the table at its bound, dropping the least recently used entry', async () => {
    const { rl, clock } = limiter(2, 1000);
    for (let i = 0; i < 1000; i++) {
      await rl.take(`p${i}`, 'ping');
      clock.t += 1;
    }
    await rl.take('p0', 'ping'); // p0 used again: p1 is now the least recently used
    await rl.take('p0', 'ping');
    expect((await rl.take('p0', 'ping')).allowed).toBe(false);
    for (let i = 1000; i < 1500; i++) await rl.take(`p${i}`, 'ping');
    expect(rl.size).toBe(1000);
    // p0 survived the eviction (recently used) and is still limited; p1 was evicted and starts afresh.
    expect((await rl.take('p0', 'ping')).allowed).toBe(false);
    await rl.take('p1', 'ping');
    expect((await rl.take('p1', 'ping')).allowed).toBe(true);
  });

  it('cleans out stale entries (idle a whole window, so their bucket is full again) as new ones arrive', async () => {
    const { rl, clock } = limiter(1);
    await rl.take('old-1', 'ping');
    await rl.take('old-2', 'nmap');
    clock.t += 30_000;
    await rl.take('recent', 'ping');
    clock.t += 30_000; // old-* idle 60 s, recent 30 s
    await rl.take('new', 'ping');
    expect(rl.size).toBe(2);
    expect((await rl.take('recent', 'ping')).allowed).toBe(false); // kept, still counting
  });

  it('decides at once with its own buckets, the same as take and sharing its count (takeNow)', async () => {
    const { rl } = limiter(3);
    expect(rl.takeNow('alice', 'ping')).toEqual({ allowed: true, limit: 3, remaining: 2 });
    expect(await rl.take('alice', 'ping')).toEqual({ allowed: true, limit: 3, remaining: 1 });
    expect(rl.takeNow('alice', 'ping')).toEqual({ allowed: true, limit: 3, remaining: 0 });
    expect(rl.takeNow('alice', 'ping')).toEqual({ allowed: false, limit: 3, windowSec: 60, retryAfterSec: 20 });
    expect(await rl.take('alice', 'ping')).toEqual({ allowed: false, limit: 3, windowSec: 60, retryAfterSec: 20 });
    expect(rl.takeNow('bob', 'ping')?.allowed).toBe(true);
    expect(limiter(0).rl.takeNow('alice', 'ping')).toEqual({ allowed: true, limit: 0, remaining: Number.POSITIVE_INFINITY });
  });

  it('leaves a shared store to take (takeNow is undefined)', async () => {
    const shared = { take: async () => ({ allowed: true as const, remaining: 4 }) };
    const rl = new RateLimiter({ limitFor: () => 5, windowMs: 60_000, buckets: shared });
    expect(rl.takeNow('alice', 'ping')).toBeUndefined();
    expect(await rl.take('alice', 'ping')).toEqual({ allowed: true, limit: 5, remaining: 4 });
  });
});
