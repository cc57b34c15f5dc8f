import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, type Running, type RunningApi, startApi, startRunner } from '../helpers/processes';
import { type TestTokens, makeTokens } from '../helpers/tokens';

// A real runner process: its per-tool limits and capacity come from this machine's cores and each tool's declared
// weight unless MCP_DEFAULT_CONCURRENCY / MCP_CONCURRENCY_<TOOL> / NETDIAG_RUNNER_CAPACITY say otherwise
// (docs/design.md, "Runners"); out-of-range overrides stop it with exit 78 naming the key.
let tokens: TestTokens;
let api: RunningApi;
const started: Running[] = [];
const cores = availableParallelism();
const bounded = (n: number): number => Math.min(64, Math.max(1, n));

beforeAll(async () => {
  tokens = makeTokens();
  api = await startApi(tokens, { MCP_ALLOW_LOOPBACK: 'true' });
});
afterAll(async () => {
  for (const r of started) await r.stop();
  await api.stop();
});

/** The runner's 'runner started' line (another runner may already have made the API list the tools: wait for it). */
async function startedLine(runner: Running): Promise<{ cores: number; capacity: number; concurrency: Record<string, number> }> {
  const until = Date.now() + 10_000;
  for (;;) {
    const line = runner
      .logs()
      .split('\n')
      .find((l) => l.includes('"msg":"runner started"'));
    if (line) return JSON.parse(line) as { cores: number; capacity: number; concurrency: Record<string, number> };
    if (Date.now() > until) throw new Error(`no start line:\n${runner.logs()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('runner concurrency', () => {
  it('defaults from the cores: light tools 4 per core, heavy ones 1 per core, capacity 4 per core', async () => {
    const runner = await startRunner(api, tokens, { MCP_ALLOW_LOOPBACK: 'true', NETDIAG_RUNNER_ID: 'conc-default' });
    started.push(runner);
    const s = await startedLine(runner);
    expect(s.cores).toBe(cores);
    expect(s.capacity).toBe(bounded(4 * cores));
    expect(s.concurrency['ping']).toBe(bounded(4 * cores));
    if (s.concurrency['nmap'] !== undefined) expect(s.concurrency['nmap']).toBe(bounded(cores));
  });

  it('takes MCP_DEFAULT_CONCURRENCY for every tool and MCP_CONCURRENCY_<TOOL> over it', async () => {
    const runner = await startRunner(api, tokens, {
      MCP_ALLOW_LOOPBACK: 'true',
      NETDIAG_RUNNER_ID: 'conc-set',
      MCP_DEFAULT_CONCURRENCY: '3',
      MCP_CONCURRENCY_PING: '40',
      NETDIAG_RUNNER_CAPACITY: '50',
    });
    started.push(runner);
    const s = await startedLine(runner);
    expect(s.capacity).toBe(50);
    expect(s.concurrency['ping']).toBe(40);
    for (const [tool, n] of Object.entries(s.concurrency)) if (tool !== 'ping') expect([tool, n]).toEqual([tool, 3]);
  });

  it('refuses MCP_CONCURRENCY_<TOOL> above 64 at start-up: exit 78, the key named', async () => {
    const proc = spawn(process.execPath, [`${ROOT}dist/runner.mjs`], {
      env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', NETDIAG_API_URL: api.url, NETDIAG_RUNNER_TOKEN: tokens.runner, MCP_CONCURRENCY_PING: '65' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => proc.once('exit', resolve));
    expect(code).toBe(78);
    expect(stderr).toContain('MCP_CONCURRENCY_PING: expected an integer from 1 to 64 (got "65")');
  });
});
