// Two "replicas" for the shared-state contracts (rate buckets, service events, tool state): two instances of one
// implementation that share their backing store. Memory has only one process, so its second replica is the same
// instance; Redis gives each its own connections to one real redis-server (test/helpers/redis-server.ts).
import type { Redis } from 'ioredis';
import { connectRedis, type RedisConnections } from '../../functions/node/broker/redis-connection';
import { type RedisServer, startRedisServer, uniquePrefix } from '../helpers/redis-server';

/** A command connection as the broker opens it (no offline queue: fail fast), once it is ready. */
export async function readyConnections(url: string): Promise<RedisConnections> {
  const c = connectRedis(url, 'netdiag-test');
  await Promise.all([c.command, c.subscriber].map((r) => waitReady(r)));
  return c;
}

export function waitReady(r: Redis): Promise<void> {
  if (r.status === 'ready') return Promise.resolve();
  return new Promise((resolve) => r.once('ready', () => resolve()));
}

/** One redis-server for a whole test file, and connections that are all closed after each test. */
export function redisFixture() {
  let server: RedisServer | undefined;
  const open: RedisConnections[] = [];
  return {
    async start(): Promise<RedisServer> {
      server = await startRedisServer();
      return server;
    },
    get server(): RedisServer {
      if (!server) throw new Error('redis fixture not started');
      return server;
    },
    /** A replica's command connection on the shared server. */
    async connect(): Promise<Redis> {
      const c = await readyConnections(this.server.url);
      open.push(c);
      return c.command;
    },
    prefix: uniquePrefix,
    async closeConnections(): Promise<void> {
      await Promise.all(open.splice(0).map((c) => c.close()));
    },
    async stop(): Promise<void> {
      await this.closeConnections();
      await server?.remove();
    },
  };
}
