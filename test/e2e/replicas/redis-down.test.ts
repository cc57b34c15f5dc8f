// Issue 10, "Tests": Redis unavailable (redis-server stopped). Calls fail fast with a clear 503 UNAVAILABLE instead of
// hanging (each request is bounded, so a hang fails the test), GET /health says why, and the API and the runner
// recover by themselves once Redis is back on the same port (docs/design.md, "Broker"). Redis without persistence
// here: it comes back empty, so the runner must make itself known again too. Loopback only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApi } from '../../helpers/processes';
import { type RedisServer, startRedisServer } from '../../helpers/redis-server';
import { Started, call, eventually, startCountingRunner, startReplica, submitPing } from '../../helpers/replicas';
import { type TestTokens, makeTokens } from '../../helpers/tokens';

const started = new Started();
let tokens: TestTokens;
let redis: RedisServer;
let api: RunningApi;

/** Every request while Redis is down must be answered within this (COMMAND_TIMEOUT_MS is 2 s): a hang fails. */
const BOUND_MS = 4000;
const bounded = (method: string, path: string, token: string, body?: unknown) => call(api, token, method, path, body, AbortSignal.timeout(BOUND_MS));

interface Health {
  status: string;
  checks: Array<{ name: string; status: string; message: string }>;
}

beforeAll(async () => {
  tokens = makeTokens();
  redis = started.addRedis(await startRedisServer());
  api = started.add(await startReplica(tokens, redis, 'api-1'));
  started.add(await startCountingRunner(api, tokens, 'lab-1'));
}, 120_000);

afterAll(async () => {
  await started.stopAll();
});

describe('Redis unavailable', () => {
  it('calls fail fast with 503 UNAVAILABLE, /health says why, and the service recovers when Redis returns', { timeout: 60_000 }, async () => {
    const before = await bounded('POST', '/tools/ping/execute', tokens.client, { target: '127.0.0.31', count: 1 });
    expect(before.status, JSON.stringify(before.body)).toBe(200);

    await redis.stop();
    for (const [method, path, body] of [
      ['POST', '/tools/ping/execute', { target: '127.0.0.32', count: 1 }],
      ['POST', '/tools/ping/execute?async=true', { target: '127.0.0.33', count: 1 }],
      ['GET', `/jobs/${String(before.body['jobId'])}`, undefined],
    ] as const) {
      const r = await bounded(method, path, tokens.client, body);
      expect(r.status, `${method} ${path}: ${JSON.stringify(r.body)}`).toBe(503);
      expect(r.body['error']).toMatchObject({ code: 'UNAVAILABLE', message: expect.stringContaining('Redis') });
    }
    const health = await bounded('GET', '/health', tokens.reader);
    expect(health.status).toBe(503);
    const down = health.body as unknown as Health;
    expect(down.status).toBe('unhealthy');
    expect(down.checks.find((c) => c.name === 'broker')).toMatchObject({ status: 'unhealthy', message: expect.stringContaining(`127.0.0.1:${redis.port}`) });

    await redis.start();
    await eventually('/health healthy again', 20_000, async () => {
      const h = await bounded('GET', '/health', tokens.reader);
      return (h.body as unknown as Health).checks.find((c) => c.name === 'broker')?.status === 'healthy' ? true : undefined;
    });
    // The runner is back without a restart: a sync call and an async one both run.
    const after = await eventually('a call that succeeds', 20_000, async () => {
      const r = await bounded('POST', '/tools/ping/execute', tokens.client, { target: '127.0.0.34', count: 1 });
      return r.status === 200 ? r : undefined;
    });
    expect(after.body).toMatchObject({ status: 'succeeded' });
    const id = await submitPing(api, tokens.client, { target: '127.0.0.35', count: 1 });
    await expect.poll(async () => (await bounded('GET', `/jobs/${id}`, tokens.client)).body['status'], { timeout: 10_000 }).toBe('succeeded');
  });
});
