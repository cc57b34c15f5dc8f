// The API on the Redis broker (REDIS_URL), in process: two apps on one real redis-server are two replicas; a job
// submitted to one is run through the other; with Redis down calls fail fast with 503 UNAVAILABLE and /health says
// why; GET /config never shows the URL (it may carry a password). docs/design.md, "Broker".
import { createHash } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createRedisBroker } from '../../functions/node/broker/redis-broker';
import { createApp } from '../../functions/src/app';
import type { Broker } from '../../functions/src/broker/broker';
import { createDeps } from '../../functions/src/create-deps';
import { type RedisServer, startRedisServer } from '../helpers/redis-server';

const sha256 = (t: string): string => createHash('sha256').update(t).digest('hex');
const CLIENT = 'client-token-aaaaaaaaaaaa';
const RUNNER = 'runner-token-bbbbbbbbbbbb';
const READER = 'reader-token-cccccccccccc';
const ADMIN = 'admin-token-dddddddddddd';
const failed = { status: 'failed', error: { code: 'EXECUTION_ERROR', message: 'unreachable', recoverySuggestion: 'check' }, durationMs: 1 };

let server: RedisServer;
let brokers: Broker[] = [];
let replicas = 0;
beforeAll(async () => {
  server = await startRedisServer();
});
afterAll(async () => {
  await server.remove();
});
afterEach(async () => {
  await Promise.all(brokers.map((b) => b.close()));
  brokers = [];
});

async function apiReplica(url: string, prefix: string, up = true) {
  const env = { REDIS_URL: url, REDIS_PREFIX: prefix };
  let made: ReturnType<typeof createRedisBroker> | undefined;
  const deps = createDeps({
    env,
    version: 'test',
    broker: (s) => (made = createRedisBroker({ ...s, redisUrl: s.redisUrl ?? url })),
    tokens: [
      { id: 'client', sha256: sha256(CLIENT), scopes: ['tools:read', 'tools:run'] },
      { id: 'runner', sha256: sha256(RUNNER), scopes: ['runner'] },
      { id: 'reader', sha256: sha256(READER), scopes: ['tools:read'] },
      { id: 'admin', sha256: sha256(ADMIN), scopes: ['tools:read', 'tools:admin'] },
    ],
  });
  if (!made) throw new Error('no broker');
  brokers.push(made);
  if (up) expect(await made.ready(5000)).toBe(true);
  const app = createApp(deps);
  const call = async (method: string, path: string, token: string, body?: unknown): Promise<Response> =>
    app.request(`http://localhost${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  return { deps, call };
}

describe('API replicas on one Redis', () => {
  it('runs a job submitted to replica 2 through a runner attached to replica 1', async () => {
    replicas += 1;
    const one = await apiReplica(server.url, `api${replicas}:`);
    const two = await apiReplica(server.url, `api${replicas}:`);
    const claim = one.call('POST', '/runner/claim', RUNNER, { runnerId: 'r1', tools: ['ping'], waitMs: 20_000 });
    await expect.poll(async () => (await two.deps.jobs.runners()).length).toBe(1);
    const submitted = await two.call('POST', '/tools/ping/execute?async=true', CLIENT, { target: '10.0.0.1' });
    expect(submitted.status).toBe(202);
    const { job } = (await (await claim).json()) as { job: { id: string; leaseId: string } };
    expect(submitted.headers.get('location')).toBe(`/jobs/${job.id}`);
    const done = await one.call('POST', `/runner/jobs/${job.id}/complete`, RUNNER, { leaseId: job.leaseId, outcome: failed });
    expect(done.status).toBe(200);
    const read = await two.call('GET', `/jobs/${job.id}`, CLIENT);
    expect(await read.json()).toMatchObject({ id: job.id, status: 'failed', error: { code: 'EXECUTION_ERROR' } });
    const health = (await (await two.call('GET', '/health', READER)).json()) as { checks: Array<{ name: string; status: string }> };
    expect(health.checks[0]).toMatchObject({ name: 'broker', status: 'healthy' });
  });
});

describe('Redis down', () => {
  it('answers 503 UNAVAILABLE at once, /health names the cause, GET /config hides the URL', async () => {
    const own = await startRedisServer();
    try {
      const url = own.url.replace('redis://', 'redis://:s3cret@');
      await own.stop();
      const api = await apiReplica(url, 'down:', false);
      const call = await api.call('POST', '/tools/ping/execute?async=true', CLIENT, { target: '10.0.0.1' });
      expect(call.status).toBe(503);
      expect(await call.json()).toMatchObject({ error: { code: 'UNAVAILABLE' } });
      const health = await api.call('GET', '/health', READER);
      expect(health.status).toBe(503);
      const report = (await health.json()) as { checks: Array<{ name: string; status: string; message: string }> };
      expect(report.checks[0]).toMatchObject({
        name: 'broker',
        status: 'unhealthy',
        message: expect.stringMatching(/^Redis at redis:\/\/127\.0\.0\.1:\d+\/? is /),
      });
      expect(JSON.stringify(report)).not.toContain('s3cret');
      const config = await (await api.call('GET', '/config', ADMIN)).text();
      expect(config).toContain('REDIS_URL');
      expect(config).not.toContain('s3cret');
    } finally {
      await own.remove();
    }
  });
});
