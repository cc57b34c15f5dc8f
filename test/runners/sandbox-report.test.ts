import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, type Running, type RunningApi, closedPort, execute, startApi, startRunner } from '../helpers/processes';
import { type TestTokens, makeTokens } from '../helpers/tokens';
import { waitForRunner } from './support';

// Real dist/api.mjs and dist/runner.mjs on loopback (docs/security.md, "Sandbox": degrade loudly). Needs `npm run build`.
let tokens: TestTokens;
let api: RunningApi;
let runner: Running | undefined;
const asRoot = process.getuid?.() === 0;

beforeAll(async () => {
  tokens = makeTokens();
  api = await startApi(tokens, { MCP_ALLOW_LOOPBACK: 'true' });
});
afterAll(async () => {
  await runner?.stop();
  await api.stop();
});

describe('the runner reports its sandbox', () => {
  it('registers its protections, shown per runner in /health, and its hardened jobs still ping loopback', async ({ skip }) => {
    if (!asRoot) return skip('hardening needs a root runner');
    runner = await startRunner(api, tokens, { MCP_ALLOW_LOOPBACK: 'true', NETDIAG_RUNNER_ID: 'hardened-a' });
    const seen = (await waitForRunner(api, tokens.reader, 'hardened-a')) as unknown as { sandbox?: { mode: string; protections: string[]; lacking: string[] } };
    expect(seen.sandbox?.protections).toEqual(expect.arrayContaining(['rlimits', 'pdeathsig', 'pidns', 'identity', 'seccomp', 'filesystem']));
    expect(seen.sandbox?.lacking).toEqual(
      ['rlimits', 'pdeathsig', 'pidns', 'identity', 'seccomp', 'filesystem', 'cgroup'].filter((p) => !seen.sandbox?.protections.includes(p)),
    );
    expect(runner.logs()).toMatch(/sandbox ready/);
    // GET /tools says, per runner that offers the tool, how its jobs are confined.
    const list = (await (await fetch(`${api.url}/tools`, { headers: { authorization: `Bearer ${tokens.client}` } })).json()) as {
      tools: Array<{ name: string; sandboxes?: Array<{ runnerId: string; protections: string[] }> }>;
    };
    const ping = list.tools.find((t) => t.name === 'ping');
    expect(ping?.sandboxes).toEqual([expect.objectContaining({ runnerId: 'hardened-a', protections: seen.sandbox?.protections })]);
    const r = await execute(api, tokens.client, 'ping', { target: '127.0.0.1', count: 1 });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ result: { received: 1 } });
  });
});

describe('NETDIAG_SANDBOX_REQUIRE', () => {
  it('refuses to start (exit 78) when a required protection is not there, naming it', async () => {
    const port = await closedPort();
    const proc = spawn(process.execPath, [`${ROOT}dist/runner.mjs`], {
      env: {
        PATH: process.env['PATH'] ?? '/usr/bin:/bin',
        NETDIAG_API_URL: `http://127.0.0.1:${port}`,
        NETDIAG_RUNNER_TOKEN: tokens.runner,
        NETDIAG_SANDBOX_HARDEN: 'false',
        NETDIAG_SANDBOX_REQUIRE: 'pidns,seccomp',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => proc.once('exit', resolve));
    expect(code).toBe(78);
    expect(stderr).toContain('NETDIAG_SANDBOX_REQUIRE: this host cannot give jobs seccomp');
  });
});
