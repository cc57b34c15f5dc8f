// RateBuckets contract (functions/src/ratelimit/rate-buckets.ts) against memory and a real redis-server, plus the two
// replica case: one bucket shared through Redis, and fail-closed when Redis is gone (docs/security.md, "Service").
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RedisRateBuckets } from '../../functions/node/broker/redis-rate-buckets';
import { MemoryRateBuckets, type RateBuckets } from '../../functions/src/ratelimit/rate-buckets';
import { RateLimiter } from '../../functions/src/ratelimit/rate-limiter';
import { startRedisServer } from '../helpers/redis-server';
import { readyConnections, redisFixture, waitReady } from './shared-state-fixture';

const redis = redisFixture();
beforeAll(() => redis.start());
afterEach(() => redis.closeConnections());
afterAll(() => redis.stop());

const WINDOW = 60_000;
type Make = (clock: { t: number }) => Promise<[RateBuckets, RateBuckets]>;

const implementations: Array<[string, Make]> = [
  [
    'memory',
    async (clock) => {
      const b = new MemoryRateBuckets({ now: () => clock.t });
      return [b, b];
    },
  ],
  [
    'redis',
    async (clock) => {
      const prefix = redis.prefix('rl');
      const now = () => clock.t;
      return [new RedisRateBuckets(await redis.connect(), { prefix, now }), new RedisRateBuckets(await redis.connect(), { prefix, now })];
    },
  ],
];

describe.each(implementations)('RateBuckets contract: %s', (_name, make) => {
  const takeN = async (b: RateBuckets, key: string, n: number, capacity = 10): Promise<boolean[]> => {
    const out: boolean[] = [];
    for (let i = 0; i < n; i += 1) out.push((await b.take(key, capacity, WINDOW)).allowed);
    return out;
  };

  it('allows a burst of the capacity, then refuses with the time until the next token', async () => {
    const clock = { t: 1_000_000 };
    const [b] = await make(clock);
    const first = await b.take('alice\u0000ping', 10, WINDOW);
    expect(first).toEqual({ allowed: true, remaining: 9 });
    expect(await takeN(b, 'alice\u0000ping', 9)).toEqual(Array(9).fill(true));
    expect(await b.take('alice\u0000ping', 10, WINDOW)).toEqual({ allowed: false, retryAfterMs: 6000 });
  });

  it('refills with time, never above the capacity', async () => {
    const clock = { t: 1_000_000 };
    const [b] = await make(clock);
    await takeN(b, 'k', 10);
    clock.t += 5_999;
    expect((await b.take('k', 10, WINDOW)).allowed).toBe(false);
    clock.t += 1;
    expect((await b.take('k', 10, WINDOW)).allowed).toBe(true);
    clock.t += 10 * WINDOW;
    expect(await takeN(b, 'k', 11)).toEqual([...Array(10).fill(true), false]);
  });

  it('keeps keys apart', async () => {
    const clock = { t: 1_000_000 };
    const [b] = await make(clock);
    await takeN(b, 'alice\u0000ping', 1, 1);
    expect((await b.take('alice\u0000ping', 1, WINDOW)).allowed).toBe(false);
    expect((await b.take('bob\u0000ping', 1, WINDOW)).allowed).toBe(true);
    expect((await b.take('alice\u0000nmap', 1, WINDOW)).allowed).toBe(true);
  });

  it('shares one bucket between two replicas: 10 through one, the 11th through the other is refused', async () => {
    const clock = { t: 1_000_000 };
    const [one, two] = await make(clock);
    expect(await takeN(one, 'alice\u0000ping', 10)).toEqual(Array(10).fill(true));
    expect(await two.take('alice\u0000ping', 10, WINDOW)).toEqual({ allowed: false, retryAfterMs: 6000 });
  });

  it('hands out exactly the capacity when replicas race for the same bucket', async () => {
    const clock = { t: 1_000_000 };
    const [one, two] = await make(clock);
    const all = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? one : two).take('race', 10, WINDOW)));
    expect(all.filter((d) => d.allowed)).toHaveLength(10);
  });
});

describe('RedisRateBuckets specifics', () => {
  it("uses the Redis server's clock when none is given, and lets idle buckets expire after a window", async () => {
    const conn = await redis.connect();
    const prefix = redis.prefix('rl-ttl');
    const b = new RedisRateBuckets(conn, { prefix });
    expect(await b.take('k', 2, 60_000)).toEqual({ allowed: true, remaining: 1 });
    const ttl = await conn.pttl(`${prefix}rl:k`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60_000);
  });

  it('fails closed: with the Redis server gone the limiter rejects at once instead of allowing the call', async () => {
    const own = await startRedisServer();
    const conns = await readyConnections(own.url);
    try {
      const limiter = new RateLimiter({
        limitFor: () => 10,
        windowMs: WINDOW,
        buckets: new RedisRateBuckets(conns.command, { prefix: redis.prefix('rl-down') }),
      });
      expect((await limiter.take('alice', 'ping')).allowed).toBe(true);
      await own.stop();
      await expect(limiter.take('alice', 'ping')).rejects.toThrow();
      await own.start();
      await waitReady(conns.command);
      expect((await limiter.take('alice', 'ping')).allowed).toBe(true);
    } finally {
      await conns.close();
      await own.remove();
    }
  });
});
