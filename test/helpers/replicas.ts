// Real API replicas on one real redis-server, and a runner whose tool binary counts its runs: the building blocks of
// test/e2e/replicas/ (issue 10, docs/design.md "Broker"). Loopback only: every process binds 127.0.0.1 and every
// target is 127.0.0.0/8.
import { chmodSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Running, type RunningApi, startApi, startRunner } from './processes';
import { type RedisServer, startRedisServer } from './redis-server';
import type { TestTokens } from './tokens';
import { tempDir } from './temp-dir';

export interface JobBody {
  id: string;
  status: string;
  attempts: number;
  target: string;
  runnerId?: string;
  error?: { code: string; message: string };
}

const TERMINAL = new Set(['succeeded', 'failed', 'cancelled']);
/** These suites start up to four processes at once on a two-core machine that other suites share: give each time. */
const START_TIMEOUT_MS = 30_000;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Processes a test file started, stopped together in afterAll (reverse order: runners before APIs before Redis). */
export class Started {
  private readonly stops: Array<() => Promise<void>> = [];
  add<T extends { stop(): Promise<void> }>(p: T): T {
    this.stops.push(() => p.stop());
    return p;
  }
  addRedis(r: RedisServer): RedisServer {
    this.stops.push(() => r.remove());
    return r;
  }
  async stopAll(): Promise<void> {
    for (const stop of this.stops.reverse()) await stop().catch(() => undefined);
    this.stops.length = 0;
  }
}

/** One API replica (dist/api.mjs, the bundle `npm run start:api` runs) on the Redis broker, loopback targets allowed. */
export function startReplica(tokens: TestTokens, redis: RedisServer, replicaId: string, env: Record<string, string> = {}): Promise<RunningApi> {
  return startApi(tokens, { REDIS_URL: redis.url, MCP_REPLICA_ID: replicaId, MCP_ALLOW_LOOPBACK: 'true', ...env }, { timeoutMs: START_TIMEOUT_MS });
}

/** A fresh redis-server and two API replicas on it (api-1, api-2), all registered with `started`. */
export async function startTwoReplicas(
  started: Started,
  tokens: TestTokens,
  env: Record<string, string> = {},
): Promise<{ api1: RunningApi; api2: RunningApi }> {
  const redis = started.addRedis(await startRedisServer());
  const api1 = started.add(await startReplica(tokens, redis, 'api-1', env));
  const api2 = started.add(await startReplica(tokens, redis, 'api-2', env));
  return { api1, api2 };
}

/**
 * A runner attached to `api`, whose `ping` is a stand-in that writes its argv to a file and then execs the real
 * /usr/bin/ping: every execution on the runner side is one line, so "none lost, none run twice" can be counted. The
 * stand-in lives in this test's /tmp, which a hardened job cannot see (test/helpers/runner-harness.ts), so hardening
 * is off for it; rlimits and the PID namespace stay.
 */
export async function startCountingRunner(
  api: RunningApi,
  tokens: TestTokens,
  runnerId: string,
  env: Record<string, string> = {},
): Promise<Running & { runs(): string[]; cleanup(): void }> {
  const dir = tempDir('netdiag-countping-');
  const record = join(dir, 'runs.log');
  writeFileSync(join(dir, 'ping'), `#!/bin/sh\necho "$*" >> '${record}'\nexec /usr/bin/ping "$@"\n`);
  chmodSync(join(dir, 'ping'), 0o755);
  const runner = await startRunner(
    api,
    tokens,
    {
      MCP_ALLOW_LOOPBACK: 'true',
      NETDIAG_RUNNER_ID: runnerId,
      NETDIAG_BINARY_DIRS: dir,
      NETDIAG_SANDBOX_HARDEN: 'false',
      ...env,
    },
    { timeoutMs: START_TIMEOUT_MS },
  );
  return {
    ...runner,
    runs: () =>
      existsSync(record)
        ? readFileSync(record, 'utf8')
            .split('\n')
            .filter((l) => l !== '')
        : [],
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
    stop: async () => {
      await runner.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** How many recorded runs pinged `target` (the argv ends with it). */
export const runsFor = (runs: readonly string[], target: string): number => runs.filter((l) => l.endsWith(` ${target}`)).length;

/** Call the API as `token`; JSON body or undefined. */
export async function call(
  api: Pick<RunningApi, 'url'>,
  token: string,
  method: string,
  path: string,
  body?: unknown,
  signal?: AbortSignal,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${api.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    ...(signal ? { signal } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) };
}

/** Submit a ping job asynchronously (202); its id. */
export async function submitPing(api: RunningApi, token: string, params: Record<string, unknown>): Promise<string> {
  const r = await call(api, token, 'POST', '/tools/ping/execute?async=true', params);
  if (r.status !== 202) throw new Error(`async submit: HTTP ${r.status} ${JSON.stringify(r.body)}`);
  return String(r.body['jobId']);
}

/** Poll GET /jobs/{id} until the job has ended (or `timeoutMs`, then its last state). */
export async function jobWhenEnded(api: RunningApi, token: string, id: string, timeoutMs = 20_000): Promise<JobBody> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const r = await call(api, token, 'GET', `/jobs/${id}`);
    const job = r.body as unknown as JobBody;
    if (r.status === 200 && TERMINAL.has(job.status)) return job;
    if (Date.now() > until) return job;
    await sleep(100);
  }
}

/** Wait until `api` lists `tool` as available (a runner attached anywhere on the broker offers it). */
export async function waitForTool(api: RunningApi, token: string, tool: string, timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const r = await call(api, token, 'GET', '/tools').catch(() => undefined);
    const tools = (r?.body['tools'] ?? []) as Array<{ name: string; available: boolean }>;
    if (tools.some((t) => t.name === tool && t.available)) return;
    if (Date.now() > until) throw new Error(`${api.url} never listed ${tool} as available`);
    await sleep(100);
  }
}

/** Poll `probe` until it returns a value (not undefined), or throw after `timeoutMs` with `what`. */
export async function eventually<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(50);
  }
}
