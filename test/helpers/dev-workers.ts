// `npm run dev:workers` (scripts/dev-workers.mjs: wrangler dev --local, workerd) as a test process on a loopback
// port, with its own state directory: dev tokens and Durable Object storage live there across restarts.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { ROOT, type RunningApi } from './processes';
import type { TestTokens } from './tokens';

export interface DevWorkers extends RunningApi {
  tokens: TestTokens;
}

function waitExit(proc: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
    proc.once('exit', () => resolve());
  });
}

/** Start the dev server; resolves once GET /livez answers (workerd's first start takes some seconds). */
export async function startDevWorkers(stateDir: string, port: number, env: Record<string, string> = {}): Promise<DevWorkers> {
  const proc = spawn(process.execPath, [`${ROOT}scripts/dev-workers.mjs`], {
    env: {
      PATH: process.env['PATH'] ?? '/usr/bin:/bin',
      HOME: process.env['HOME'] ?? '/tmp',
      NETDIAG_STATE_DIR: stateDir,
      MCP_SERVER_PORT: String(port),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group: stop() ends wrangler and the workerd it started, by this group's id.
    detached: true,
  });
  let output = '';
  proc.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  proc.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const stop = async (): Promise<void> => {
    if (proc.pid === undefined || proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = waitExit(proc);
    process.kill(-proc.pid, 'SIGTERM');
    const timer = setTimeout(() => proc.pid !== undefined && process.kill(-proc.pid, 'SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };
  const url = `http://127.0.0.1:${port}`;
  const until = Date.now() + 60_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`dev:workers exited:\n${output}`);
    const up = await fetch(`${url}/livez`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) break;
    if (Date.now() > until) {
      await stop();
      throw new Error(`dev:workers did not come up:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const dev = JSON.parse(readFileSync(`${stateDir}/dev-tokens.json`, 'utf8')) as { client: string; runner: string; admin: string };
  const tokens: TestTokens = { ...dev, reader: dev.client, file: `${stateDir}/tokens.json`, dir: stateDir };
  return { proc, logs: () => output, stop, url, port, fetch, tokens };
}
