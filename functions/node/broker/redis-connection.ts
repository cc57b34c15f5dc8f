/**
 * The broker's Redis connections (docs/design.md, "Broker"): one for commands and one for the event channel (a
 * subscribed connection can do nothing else). Fail fast: no offline queue and short timeouts, so a call made while
 * Redis is down is refused at once with UNAVAILABLE (503) instead of hanging; ioredis reconnects by itself.
 */
import { Redis, type RedisOptions } from 'ioredis';
import { ApiError } from '../../src/errors/api-error';

/** Connect and command timeouts; a healthy loopback Redis answers in well under a millisecond. */
export const CONNECT_TIMEOUT_MS = 1000;
export const COMMAND_TIMEOUT_MS = 2000;

export interface RedisConnections {
  command: Redis;
  subscriber: Redis;
  /** The URL without credentials, for logs and /health. */
  where: string;
  /** Why the last connection attempt failed, while it is down. */
  lastError(): string | undefined;
  /** Resolves true once both connections are ready, false after `timeoutMs`. */
  ready(timeoutMs: number): Promise<boolean>;
  close(): Promise<void>;
}

/** The URL as it may be shown: user and password removed. */
export function redactRedisUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    return u.toString();
  } catch {
    return 'redis (unparsable URL)';
  }
}

function options(connectionName: string, offlineQueue: boolean): RedisOptions {
  return {
    connectionName,
    connectTimeout: CONNECT_TIMEOUT_MS,
    commandTimeout: offlineQueue ? undefined : COMMAND_TIMEOUT_MS,
    enableOfflineQueue: offlineQueue,
    maxRetriesPerRequest: 0,
    // Never give up: a few seconds between attempts at most, so the API recovers without a restart.
    retryStrategy: (times) => Math.min(100 * times, 2000),
    enableReadyCheck: true,
  };
}

export function connectRedis(url: string, name = 'netdiag-api'): RedisConnections {
  let lastError: string | undefined;
  const command = new Redis(url, options(name, false));
  // The subscriber keeps its SUBSCRIBE queued across reconnects (ioredis re-subscribes by itself).
  const subscriber = new Redis(url, options(`${name}-events`, true));
  for (const c of [command, subscriber]) {
    c.on('error', (err: Error) => {
      lastError = err.message;
    });
    c.on('ready', () => {
      if (command.status === 'ready' && subscriber.status === 'ready') lastError = undefined;
    });
  }
  return {
    command,
    subscriber,
    where: redactRedisUrl(url),
    lastError: () => lastError,
    ready: (timeoutMs) => bothReady(command, subscriber, timeoutMs),
    close: async () => {
      await Promise.allSettled([command.quit(), subscriber.quit()]);
      command.disconnect();
      subscriber.disconnect();
    },
  };
}

function bothReady(a: Redis, b: Redis, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const check = (): void => {
      if (a.status !== 'ready' || b.status !== 'ready') return;
      finish(true);
    };
    const finish = (value: boolean): void => {
      clearTimeout(timer);
      a.off('ready', check);
      b.off('ready', check);
      resolve(value);
    };
    const timer = setTimeout(() => finish(false), timeoutMs);
    a.on('ready', check);
    b.on('ready', check);
    check();
  });
}

const UNAVAILABLE_REPLY = /^(LOADING|BUSY|MASTERDOWN|READONLY|TRYAGAIN|CLUSTERDOWN|NOSCRIPT)/;

/** A Redis failure as the API's error: connection trouble is UNAVAILABLE (503); anything else is a bug and stays as it is. */
export function asApiError(err: unknown, where: string): unknown {
  if (err instanceof ApiError) return err;
  const e = err instanceof Error ? err : new Error(String(err));
  if (e.name === 'ReplyError' && !UNAVAILABLE_REPLY.test(e.message)) return e;
  return ApiError.of('UNAVAILABLE', `The job store (Redis at ${where}) is unavailable: ${e.message}`);
}
