import type { Redis } from 'ioredis';
import type { RateBuckets, Take } from '../../src/ratelimit/rate-buckets';
import { LuaScript, readyCall } from './redis-script';

/**
 * The token bucket of token-bucket.ts, in one Lua script so a take is atomic across replicas: refill for the time
 * since the last update, take one token if there is one, store, and let the key expire after a window (by then the
 * bucket is full again, so forgetting it loses nothing). ARGV[3] is the caller's clock, or -1 for the Redis server's
 * (TIME), which all replicas share, so clock skew between replicas cannot hand out extra tokens.
 * Returns { allowed 0/1, remaining, retryAfterMs as a string (Lua numbers would be truncated to integers) }.
 */
const TAKE = new LuaScript(`
local capacity = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
if now < 0 then
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local b = redis.call('HMGET', KEYS[1], 'tokens', 'updated')
local tokens = tonumber(b[1])
local updated = tonumber(b[2])
if tokens == nil or updated == nil then
  tokens = capacity
  updated = now
end
local elapsed = math.max(0, now - updated)
tokens = math.min(capacity, tokens + elapsed * capacity / window)
updated = math.max(updated, now)
local allowed = 0
local retry = 0
if tokens >= 1 then
  tokens = tokens - 1
  allowed = 1
else
  retry = (1 - tokens) * window / capacity
end
redis.call('HSET', KEYS[1], 'tokens', string.format('%.17g', tokens), 'updated', string.format('%.17g', updated))
redis.call('PEXPIRE', KEYS[1], math.ceil(window))
return { allowed, math.floor(tokens), string.format('%.17g', retry) }
`);

export interface RedisRateBucketsOptions {
  /** Key prefix shared by every replica of one deployment; default "netdiag:". */
  prefix?: string | undefined;
  /** Clock in ms (tests); the Redis server's clock when omitted. */
  now?: (() => number) | undefined;
}

/** Rate-limit buckets in Redis, shared by every replica on the same server (docs/design.md, "Broker"). */
export class RedisRateBuckets implements RateBuckets {
  private readonly prefix: string;

  constructor(
    private readonly redis: Redis,
    private readonly options: RedisRateBucketsOptions = {},
  ) {
    this.prefix = `${options.prefix ?? 'netdiag:'}rl:`;
  }

  async take(key: string, capacity: number, windowMs: number): Promise<Take> {
    const now = this.options.now?.() ?? -1;
    const reply = await readyCall(this.redis, 'rate limit', () => TAKE.run(this.redis, [this.prefix + key], [capacity, windowMs, now]));
    const [allowed, remaining, retry] = reply as [number, number, string];
    return allowed === 1 ? { allowed: true, remaining } : { allowed: false, retryAfterMs: Number(retry) };
  }
}
