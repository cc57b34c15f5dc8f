/**
 * The `npm start` configuration for benchmarks (issue 12): the API and the runner started exactly as scripts/dev.mjs
 * starts them (its own dev-env.mjs: environment, JSON logs appended to files, the audit file, default telemetry, the
 * sandbox the runner probes), in a temporary state directory on a free loopback port. Two deliberate differences,
 * both printed: the rate limit is raised to its maximum (the default 10 per minute would refuse the rounds) and
 * `extraEnv` (the per-stage timestamps) when a pass asks for it.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { type DevTokens, apiEnv, devTokens, runnerEnv, shimServerConfig, startChild } from '../scripts/dev-env.mjs';
import { ROOT, closedPort } from '../test/helpers/processes';

/** The rate limit's ceiling (functions/shared/config/clamp.ts): still on the path, never refusing a round. */
export const BENCH_RATE_LIMIT = '10000';

export interface DevStack {
  url: string;
  tokens: DevTokens;
  stateDir: string;
  /** The Claude Desktop entry `npm start` prints, for this stack. */
  shim: { command: string; args: string[]; env: Record<string, string> };
  api: ChildProcess;
  runner: ChildProcess;
  /** The lines of api.log or runner.log so far. */
  log(name: 'api' | 'runner'): string[];
  stop(): Promise<void>;
}

/** Where the bundles are: BENCH_DIST (a private copy, while others rebuild dist/) or dist/. */
export const benchDist = (): string => process.env['BENCH_DIST'] ?? `${ROOT}dist`;

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 5000).unref();
  });
}

async function until(what: string, check: () => Promise<boolean>, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${what} did not come up`);
}

export async function startDevStack(extraEnv: Record<string, string> = {}, dist = benchDist()): Promise<DevStack> {
  const stateDir = mkdtempSync(join(tmpdir(), 'netdiag-bench-'));
  const tokens = devTokens(stateDir);
  const port = await closedPort();
  const url = `http://127.0.0.1:${port}`;
  const env = { ...extraEnv, MCP_RATE_LIMIT_PER_MINUTE: BENCH_RATE_LIMIT };
  const api = startChild({ dist, stateDir, name: 'api', script: 'api.mjs', env: { ...apiEnv({ stateDir, port }), ...env } });
  const log = (name: 'api' | 'runner'): string[] => readFileSync(join(stateDir, `${name}.log`), 'utf8').split('\n');
  await until('the API', async () => (await fetch(`${url}/livez`)).ok);
  const runner = startChild({
    dist,
    stateDir,
    name: 'runner',
    script: 'runner.mjs',
    env: { ...runnerEnv({ apiUrl: url, runnerToken: tokens.runner }), ...env },
  });
  await until('the runner', async () => {
    const res = await fetch(`${url}/tools`, { headers: { authorization: `Bearer ${tokens.client}` } });
    const body = (await res.json()) as { tools?: Array<{ name: string; available: boolean }> };
    return ['ping', 'nmap'].every((n) => body.tools?.some((t) => t.name === n && t.available));
  });
  return {
    url,
    tokens,
    stateDir,
    shim: shimServerConfig({ dist, apiUrl: url, clientToken: tokens.client }),
    api,
    runner,
    log,
    stop: async () => {
      await stopChild(runner);
      await stopChild(api);
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}
