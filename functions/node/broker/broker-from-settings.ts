import type { Broker } from '../../src/broker/broker';
import type { ApiSettings } from '../../src/config/settings';
import type { Logger } from '../../shared/logger';
import { createRedisBroker } from './redis-broker';

/** How long start-up waits for Redis; past it the API serves anyway and answers 503 until Redis is reachable. */
export const STARTUP_WAIT_MS = 5000;

/** The Redis broker when REDIS_URL is set (docs/design.md, "Broker"); undefined = the in-memory default. */
export async function brokerFromSettings(settings: ApiSettings, logger: Logger): Promise<Broker | undefined> {
  const url = settings.redisUrl;
  if (url === undefined) return undefined;
  const broker = createRedisBroker({ ...settings, redisUrl: url });
  const where = broker.connections.where;
  if (await broker.ready(STARTUP_WAIT_MS)) logger.info({ redis: where, prefix: settings.redisPrefix }, 'broker: shared state in Redis');
  else logger.warn({ redis: where, why: broker.connections.lastError() }, 'broker: Redis not reachable yet; calls answer 503 (UNAVAILABLE) until it is');
  return broker;
}
