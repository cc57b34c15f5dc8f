// `npm run start:api` and `npm run start:runner`, the commands the images run, for real on loopback with nothing but
// environment variables (docs/design.md, "Deployment"): no dev tokens, no loopback allowance, no generated state.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { closedPort } from '../helpers/processes';
import { ROOT } from './infra-files';
import { type NpmProcess, listeningPort, npmRun, npmRunSync } from './npm-process';

// Tokens exactly as an operator makes them for compose and Kubernetes (scripts/make-secrets.mjs).
const dir = mkdtempSync(join(tmpdir(), 'netdiag-start-'));
spawnSync(process.execPath, [`${ROOT}scripts/make-secrets.mjs`, dir], { stdio: 'ignore' });
const client = (JSON.parse(readFileSync(join(dir, 'client-tokens.json'), 'utf8')) as { client: string }).client;
const runnerToken = readFileSync(join(dir, 'runner.env'), 'utf8')
  .trim()
  .replace(/^NETDIAG_RUNNER_TOKEN=/, '');
const probeToken = readFileSync(join(dir, 'probe.token'), 'utf8').trim();
const started: NpmProcess[] = [];
afterAll(async () => {
  // Runners first (they deregister from their API), then the APIs.
  for (const p of started.reverse()) await p.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function startApi(env: Record<string, string>): Promise<{ url: string; port: number }> {
  const api = npmRun('start:api', { MCP_TOKENS_FILE: join(dir, 'tokens.json'), MCP_SERVER_PORT: '0', ...env });
  started.push(api);
  const port = await listeningPort(api);
  return { url: `http://127.0.0.1:${port}`, port };
}

const ping = (url: string): Promise<Response> =>
  fetch(`${url}/tools/ping/execute`, {
    method: 'POST',
    headers: { authorization: `Bearer ${client}`, 'content-type': 'application/json' },
    body: JSON.stringify({ target: '127.0.0.1', count: 1 }),
  });

function healthcheck(mode: string, env: Record<string, string>): number | null {
  return spawnSync(process.execPath, [`${ROOT}scripts/healthcheck.mjs`, mode], { env: { PATH: process.env['PATH'] ?? '', ...env }, timeout: 10_000 }).status;
}

describe('npm run start:api / start:runner', () => {
  it('start:api without token records stops at once (exit 78) naming the settings', () => {
    const r = npmRunSync('start:api', { MCP_SERVER_PORT: '0' });
    expect(r.status).toBe(78);
    expect(r.output).toMatch(/configuration error: MCP_TOKENS_FILE or MCP_TOKENS: neither is set/);
  });

  it('start:runner without an API URL stops at once (exit 78) naming NETDIAG_API_URL', () => {
    const r = npmRunSync('start:runner', { NETDIAG_RUNNER_TOKEN: runnerToken });
    expect(r.status).toBe(78);
    expect(r.output).toMatch(/configuration error: NETDIAG_API_URL: required, but not set/);
  });

  it('start:runner without a token stops naming NETDIAG_RUNNER_TOKEN', () => {
    const r = npmRunSync('start:runner', { NETDIAG_API_URL: 'http://127.0.0.1:9' });
    expect(r.status).toBe(78);
    expect(r.output).toMatch(/NETDIAG_RUNNER_TOKEN: required, but not set/);
  });

  it('without a build it says to build first', () => {
    const bare = mkdtempSync(join(tmpdir(), 'netdiag-nobuild-'));
    mkdirSync(join(bare, 'scripts'));
    copyFileSync(`${ROOT}scripts/start-process.mjs`, join(bare, 'scripts/start-process.mjs'));
    const r = spawnSync(process.execPath, [join(bare, 'scripts/start-process.mjs'), 'api'], { encoding: 'utf8' });
    rmSync(bare, { recursive: true, force: true });
    expect(r.status).toBe(78);
    expect(r.stderr).toMatch(/dist\/api\.mjs does not exist: run `npm run build` first/);
  });

  it('start:api has no dev defaults: loopback targets are refused unless allowed explicitly', async () => {
    const { url } = await startApi({});
    const res = await ping(url);
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('FORBIDDEN_TARGET');
  });

  it('an API and a runner configured by env only complete a ping to 127.0.0.1; the healthchecks see them', async () => {
    const allow = { MCP_ALLOW_LOOPBACK: 'true' };
    const { url, port } = await startApi(allow);
    const runner = npmRun('start:runner', { ...allow, NETDIAG_API_URL: url, NETDIAG_RUNNER_TOKEN: runnerToken, NETDIAG_RUNNER_ID: 'start-test' });
    started.push(runner);
    // The runner is ready when the API lists ping as available.
    const until = Date.now() + 15_000;
    for (;;) {
      const res = await fetch(`${url}/tools`, { headers: { authorization: `Bearer ${client}` } });
      const tools = ((await res.json()) as { tools: { name: string; available: boolean }[] }).tools;
      if (tools.some((t) => t.name === 'ping' && t.available)) break;
      if (Date.now() > until || runner.proc.exitCode !== null) throw new Error(`runner did not come up:\n${runner.logs()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const res = await ping(url);
    const body = (await res.json()) as { status: string; result: { received: number } };
    expect(res.status, JSON.stringify(body)).toBe(200);
    expect(body.status).toBe('succeeded');
    expect(body.result.received).toBe(1);

    // The images' HEALTHCHECKs and the readiness probe, against these very processes.
    expect(healthcheck('api', { MCP_SERVER_PORT: String(port) })).toBe(0);
    expect(healthcheck('runner', { NETDIAG_API_URL: url })).toBe(0);
    expect(healthcheck('ready', { MCP_SERVER_PORT: String(port), MCP_PROBE_TOKEN: probeToken })).toBe(0);
    expect(healthcheck('ready', { MCP_SERVER_PORT: String(port), MCP_PROBE_TOKEN: 'wrong-token' })).toBe(1);
    expect(healthcheck('api', { MCP_SERVER_PORT: String(await closedPort()) })).toBe(1);
  });
});
