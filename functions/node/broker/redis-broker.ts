/** The Redis broker (REDIS_URL): shared state for several API replicas and across restarts (docs/design.md, "Broker"). */
import type { Broker, BrokerStatus } from '../../src/broker/broker';
import type { ApiSettings } from '../../src/config/settings';
import { connectRedis, type RedisConnections } from './redis-connection';
import { RedisJobStore } from './redis-job-store';
import { RedisRateBuckets } from './redis-rate-buckets';
import { RedisServiceEventLog } from './redis-service-event-log';
import { RedisToolStateStore } from './redis-tool-state-store';

/** Finished jobs kept in Redis for GET /jobs (the same bound as memory); JOB_RETENTION_SEC adds an age bound. */
export const REDIS_MAX_RETAINED = 10_000;

export type RedisBrokerSettings = Pick<ApiSettings, 'leaseMs' | 'maxQueuedJobs' | 'redisPrefix' | 'jobRetentionMs'> & { redisUrl: string };

export interface RedisBroker extends Broker {
  readonly kind: 'redis';
  jobs: RedisJobStore;
  readonly connections: RedisConnections;
  /** Resolves once both connections are ready and subscribed, or false after `timeoutMs`. */
  ready(timeoutMs: number): Promise<boolean>;
}

/** Connect (in the background: the API starts even while Redis is down, and answers 503 until it is back). */
export function createRedisBroker(settings: RedisBrokerSettings, options: { maxRetained?: number; sweepMs?: number } = {}): RedisBroker {
  const connections = connectRedis(settings.redisUrl);
  const jobs = new RedisJobStore(connections, {
    prefix: settings.redisPrefix,
    leaseMs: settings.leaseMs,
    maxQueued: settings.maxQueuedJobs,
    maxRetained: options.maxRetained ?? REDIS_MAX_RETAINED,
    retentionMs: settings.jobRetentionMs,
    ...(options.sweepMs === undefined ? {} : { sweepMs: options.sweepMs }),
  });
  const prefix = { prefix: settings.redisPrefix };
  const serviceEvents = new RedisServiceEventLog(connections.command, prefix);
  const toolState = new RedisToolStateStore(connections.command, prefix);
  return {
    kind: 'redis',
    jobs,
    rateBuckets: new RedisRateBuckets(connections.command, prefix),
    serviceEvents,
    toolState,
    connections,
    health: () => redisHealth(connections),
    ready: (timeoutMs) => bothReady(connections, jobs, timeoutMs),
    close: async () => {
      jobs.close();
      await Promise.allSettled([serviceEvents.close(), toolState.close()]);
      await connections.close();
    },
  };
}

/** Both connections ready and the event channel subscribed, or false after `timeoutMs`. */
async function bothReady(connections: RedisConnections, jobs: RedisJobStore, timeoutMs: number): Promise<boolean> {
  const started = Date.now();
  if (!(await connections.ready(timeoutMs))) return false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), Math.max(0, timeoutMs - (Date.now() - started)))));
  try {
    return await Promise.race([jobs.subscribed.then(() => true), late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Up when both connections are ready and a PING answers; otherwise why not (GET /health shows it). */
export async function redisHealth(c: RedisConnections): Promise<BrokerStatus> {
  const down = [c.command, c.subscriber].find((r) => r.status !== 'ready');
  if (down) return { ok: false, detail: `Redis at ${c.where} is ${down.status}${c.lastError() ? `: ${c.lastError()}` : ''}.` };
  const started = performance.now();
  try {
    await c.command.ping();
  } catch (err) {
    return { ok: false, detail: `Redis at ${c.where} does not answer: ${(err as Error).message}.` };
  }
  return { ok: true, detail: `Redis at ${c.where} answers (PING ${(performance.now() - started).toFixed(1)} ms).` };
}
