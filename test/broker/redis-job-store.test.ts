// The JobStore contract against the Redis store, on a real redis-server started on a loopback port (test/helpers/redis-server.ts).
import { afterAll, beforeAll } from 'vitest';
import { createRedisBroker } from '../../functions/node/broker/redis-broker';
import { type RedisServer, startRedisServer } from '../helpers/redis-server';
import { describeJobStoreContract } from './job-store-contract';

let server: RedisServer;
let stores = 0;
beforeAll(async () => {
  server = await startRedisServer();
});
afterAll(async () => {
  await server.remove();
});

describeJobStoreContract('redis', async (options) => {
  stores += 1;
  // A prefix per store: tests share the server, never each other's keys.
  const broker = createRedisBroker(
    { redisUrl: server.url, redisPrefix: `contract${stores}:`, leaseMs: options.leaseMs, maxQueuedJobs: options.maxQueued, jobRetentionMs: 0 },
    { maxRetained: options.maxRetained },
  );
  if (!(await broker.ready(5000))) throw new Error('redis broker not ready');
  return { store: broker.jobs, close: () => broker.close() };
});
