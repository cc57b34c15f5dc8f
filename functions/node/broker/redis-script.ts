import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

/** How long one broker command may take before the caller treats Redis as down (fail fast, docs/design.md "Broker"). */
export const REDIS_CALL_TIMEOUT_MS = 2000;

/** Thrown when Redis is not connected or does not answer in time; callers map it to their own 503. */
export class RedisUnavailableError extends Error {
  override readonly name = 'RedisUnavailableError';
}

/**
 * Run `call` only on a ready connection and give up after REDIS_CALL_TIMEOUT_MS: while ioredis reconnects it would
 * otherwise queue the command and the HTTP call would hang (the issue asks for a fast, clear 503).
 */
export async function readyCall<T>(redis: Redis, what: string, call: () => Promise<T>): Promise<T> {
  if (redis.status !== 'ready') throw new RedisUnavailableError(`${what}: Redis is ${redis.status}`);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new RedisUnavailableError(`${what}: Redis did not answer within ${REDIS_CALL_TIMEOUT_MS} ms`)), REDIS_CALL_TIMEOUT_MS);
  });
  try {
    return await Promise.race([call(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** A Lua script sent once and then called by its SHA-1 (EVALSHA), re-sent after a Redis restart (NOSCRIPT). */
export class LuaScript {
  private readonly sha: string;

  constructor(readonly source: string) {
    this.sha = createHash('sha1').update(source).digest('hex');
  }

  async run(redis: Redis, keys: readonly string[], args: ReadonlyArray<string | number>): Promise<unknown> {
    try {
      return await redis.evalsha(this.sha, keys.length, ...keys, ...args);
    } catch (err) {
      if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT')) throw err;
      return redis.eval(this.source, keys.length, ...keys, ...args);
    }
  }
}
