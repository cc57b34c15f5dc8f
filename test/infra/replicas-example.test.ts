// README's two-replica example, run as written: two `npm run start:api` on one real Redis (REDIS_URL), each with its
// MCP_REPLICA_ID and one MCP_AUDIT_FILE, and one `npm run start:runner` attached to API 1 only; a call made through
// API 2 is run by that runner and answered by API 2, and each replica keeps its own audit chain. Loopback only.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type RedisServer, startRedisServer } from '../helpers/redis-server';
import { ROOT } from './infra-files';
import { type NpmProcess, listeningPort, npmRun } from './npm-process';

const dir = mkdtempSync(join(tmpdir(), 'netdiag-replicas-'));
spawnSync(process.execPath, [`${ROOT}scripts/make-secrets.mjs`, dir], { stdio: 'ignore' });
const client = (JSON.parse(readFileSync(join(dir, 'client-tokens.json'), 'utf8')) as { client: string }).client;
const runnerToken = readFileSync(join(dir, 'runner.env'), 'utf8')
  .trim()
  .replace(/^NETDIAG_RUNNER_TOKEN=/, '');
const started: NpmProcess[] = [];
let redis: RedisServer | undefined;
afterAll(async () => {
  for (const p of started.reverse()) await p.stop();
  await redis?.remove();
  rmSync(dir, { recursive: true, force: true });
});

describe("README's two replicas on one Redis", () => {
  it('a call through API 2 is run by the runner on API 1 and audited once, in a replica chain', { timeout: 60_000 }, async () => {
    redis = await startRedisServer();
    const shared = { REDIS_URL: redis.url, MCP_TOKENS_FILE: join(dir, 'tokens.json'), MCP_AUDIT_FILE: join(dir, 'audit.log'), MCP_ALLOW_LOOPBACK: 'true' };
    const urls: string[] = [];
    for (const id of ['api-1', 'api-2']) {
      const api = npmRun('start:api', { ...shared, MCP_SERVER_PORT: '0', MCP_REPLICA_ID: id });
      started.push(api);
      urls.push(`http://127.0.0.1:${await listeningPort(api)}`);
    }
    const [api1 = '', api2 = ''] = urls;
    started.push(npmRun('start:runner', { MCP_ALLOW_LOOPBACK: 'true', NETDIAG_RUNNER_TOKEN: runnerToken, NETDIAG_API_URL: api1, NETDIAG_RUNNER_ID: 'lab-1' }));
    // API 2 learns of the runner through Redis.
    const until = Date.now() + 20_000;
    for (;;) {
      const res = await fetch(`${api2}/tools`, { headers: { authorization: `Bearer ${client}` } });
      const tools = ((await res.json()) as { tools: { name: string; available: boolean }[] }).tools;
      if (tools.some((t) => t.name === 'ping' && t.available)) break;
      if (Date.now() > until) throw new Error(`API 2 never saw the runner:\n${started.map((p) => p.logs()).join('\n')}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    const res = await fetch(`${api2}/tools/ping/execute`, {
      method: 'POST',
      headers: { authorization: `Bearer ${client}`, 'content-type': 'application/json' },
      body: JSON.stringify({ target: '127.0.0.1', count: 1 }),
    });
    const body = (await res.json()) as { status: string; jobId: string };
    expect(res.status, JSON.stringify(body)).toBe(200);
    expect(body.status).toBe('succeeded');
    // Audited once, in the chain of the replica that saw the job end (docs/design.md, "Broker"), appended
    // asynchronously: wait for it rather than for a fixed time.
    const chains = (): string =>
      ['api-1', 'api-2']
        .map((id) => join(dir, `audit.${id}.log`))
        .filter((f) => existsSync(f))
        .map((f) => readFileSync(f, 'utf8'))
        .join('');
    const auditUntil = Date.now() + 5000;
    while (!chains().includes(body.jobId) && Date.now() < auditUntil) await new Promise((r) => setTimeout(r, 50));
    expect(
      chains()
        .split('\n')
        .filter((line) => line.includes(body.jobId)),
    ).toHaveLength(1);
    expect(existsSync(join(dir, 'audit.log'))).toBe(false);
  });
});
