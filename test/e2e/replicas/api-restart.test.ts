// Issue 10, "Tests": restart the only API process on a Redis with persistence (appendonly yes, in a tmp dir). Jobs
// submitted before the restart are still readable afterwards, one that was running across the restart finishes, the
// runner reconnects by itself within 5 s and the next call succeeds; with Redis restarted too, its append-only file
// brings the jobs back. docs/design.md, "Broker". Loopback only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApi } from '../../helpers/processes';
import { type RedisServer, startRedisServer } from '../../helpers/redis-server';
import { Started, call, jobWhenEnded, runsFor, startCountingRunner, startReplica, submitPing } from '../../helpers/replicas';
import { type TestTokens, makeTokens } from '../../helpers/tokens';

const started = new Started();
let tokens: TestTokens;
let redis: RedisServer;
let api: RunningApi;
let runner: Awaited<ReturnType<typeof startCountingRunner>>;

beforeAll(async () => {
  tokens = makeTokens();
  redis = started.addRedis(await startRedisServer({ persist: true }));
  api = started.add(await startReplica(tokens, redis, 'api-1'));
  runner = started.add(await startCountingRunner(api, tokens, 'lab-1'));
}, 120_000);

afterAll(async () => {
  await started.stopAll();
});

/** The same replica again, on the same port: the runner's NETDIAG_API_URL does not change across a restart. */
async function restart(signal: NodeJS.Signals): Promise<void> {
  await kill(signal);
  api = started.add(await startReplica(tokens, redis, 'api-1', { MCP_SERVER_PORT: String(api.port) }));
}

/** Stop the API (SIGTERM: drain and exit; SIGKILL: gone at once). */
async function kill(signal: NodeJS.Signals): Promise<void> {
  if (signal === 'SIGTERM') return api.stop();
  const exited = new Promise((r) => api.proc.once('exit', r));
  api.proc.kill('SIGKILL');
  if (api.proc.exitCode === null && api.proc.signalCode === null) await exited;
}

/** A held ping call made at once: the runner has 5 s to come back, plus 2 s for the ping itself on a loaded machine (a bound so a stuck runner fails the test, not a timing figure). */
const nextCall = (target: string) =>
  call(api, tokens.client, 'POST', '/tools/ping/execute', { target, count: 1 }, AbortSignal.timeout(5000 + 2000)).catch((err: unknown) => ({
    status: 0,
    body: { error: String(err) } as Record<string, unknown>,
  }));

describe('the only API process restarted, Redis with persistence', () => {
  it('keeps the jobs, finishes the one in flight, and the runner reconnects for the next call', { timeout: 60_000 }, async () => {
    const done = await call(api, tokens.client, 'POST', '/tools/ping/execute', { target: '127.0.0.21', count: 1 });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    const asyncDone = await submitPing(api, tokens.client, { target: '127.0.0.22', count: 1 });
    expect((await jobWhenEnded(api, tokens.client, asyncDone)).status).toBe('succeeded');
    // Running on the runner while the API restarts: its heartbeats and completion go to the new process.
    const inFlight = await submitPing(api, tokens.client, { target: '127.0.0.23', count: 4, intervalSec: 0.5 });
    await expect.poll(async () => (await call(api, tokens.client, 'GET', `/jobs/${inFlight}`)).body['status'], { timeout: 10_000 }).toBe('running');

    await restart('SIGTERM');

    expect((await call(api, tokens.client, 'GET', `/jobs/${String(done.body['jobId'])}`)).body).toMatchObject({ status: 'succeeded' });
    expect((await call(api, tokens.client, 'GET', `/jobs/${asyncDone}`)).body).toMatchObject({ status: 'succeeded' });
    const next = await nextCall('127.0.0.24');
    expect(next.status, JSON.stringify(next.body)).toBe(200);
    expect(await jobWhenEnded(api, tokens.client, inFlight)).toMatchObject({ status: 'succeeded', attempts: 1 });
    for (const t of ['127.0.0.21', '127.0.0.22', '127.0.0.23', '127.0.0.24']) expect(runsFor(runner.runs(), t), t).toBe(1);
  });

  it('with Redis restarted as well, the append-only file brings the jobs back', { timeout: 60_000 }, async () => {
    const before = await call(api, tokens.client, 'POST', '/tools/ping/execute', { target: '127.0.0.25', count: 1 });
    expect(before.status, JSON.stringify(before.body)).toBe(200);
    await kill('SIGKILL');
    await redis.stop();
    await redis.start();
    await restart('SIGKILL');
    expect((await call(api, tokens.client, 'GET', `/jobs/${String(before.body['jobId'])}`)).body).toMatchObject({ status: 'succeeded', target: '127.0.0.25' });
    const next = await nextCall('127.0.0.26');
    expect(next.status, JSON.stringify(next.body)).toBe(200);
  });
});
