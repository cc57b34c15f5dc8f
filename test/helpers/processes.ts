import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { apiFetch } from '../../functions/shared/node/api-transport';
import type { TestTokens } from './tokens';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface Running {
  proc: ChildProcess;
  /** Everything the process wrote to stderr so far. */
  logs(): string;
  stop(): Promise<void>;
}

/** The bundles processes start from: dist/, or BENCH_DIST (a benchmark's private copy while others rebuild dist/). */
export const DIST = process.env['BENCH_DIST'] ?? `${ROOT}dist`;

function launch(script: string, env: Record<string, string>, cmd: string[] = []): Running {
  const argv = [...cmd, process.execPath, `${DIST}/${script}`];
  const [file = process.execPath, ...args] = argv;
  const proc: ChildProcess = spawn(file, args, {
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  proc.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  return {
    proc,
    logs: () => stderr,
    stop: () =>
      new Promise<void>((resolve) => {
        if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
        proc.once('exit', () => resolve());
        proc.kill('SIGTERM');
        setTimeout(() => proc.kill('SIGKILL'), 3000).unref();
      }),
  };
}

export interface RunningApi extends Running {
  url: string;
  port: number;
  /** fetch that trusts the API's certificate (startApi's `caFile`); the global fetch otherwise. */
  fetch: typeof fetch;
}

/**
 * Start dist/api.mjs on a random loopback port; resolves once it listens. `caFile`: the CA of its HTTPS certificate;
 * `timeoutMs` (default 10 s): how long it may take to start (more for suites that start several processes at once).
 */
export async function startApi(
  tokens: TestTokens,
  env: Record<string, string> = {},
  options: { caFile?: string; timeoutMs?: number } = {},
): Promise<RunningApi> {
  // Rate limiting off unless a test asks for it: e2e suites make many calls with one token (the product default is 10/60 s).
  const r = launch('api.mjs', { MCP_SERVER_HOST: '127.0.0.1', MCP_SERVER_PORT: '0', MCP_TOKENS_FILE: tokens.file, MCP_RATE_LIMIT_PER_MINUTE: '0', ...env });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      r.proc.kill('SIGKILL');
      reject(new Error(`API did not start:\n${r.logs()}`));
    }, options.timeoutMs ?? 10_000);
    const check = (): void => {
      const m = /"port":(\d+)/.exec(r.logs());
      if (m) {
        clearTimeout(timer);
        r.proc.stderr?.off('data', check);
        resolve(Number(m[1]));
      }
    };
    r.proc.stderr?.on('data', check);
    r.proc.once('exit', (code) => reject(new Error(`API exited with ${String(code)}:\n${r.logs()}`)));
  });
  const scheme = /"url":"(https?):/.exec(r.logs())?.[1] ?? 'http';
  const secureFetch = options.caFile ? apiFetch({ caFile: options.caFile }) : fetch;
  return { ...r, port, url: `${scheme}://127.0.0.1:${port}`, fetch: secureFetch };
}

/** Start dist/runner.mjs against an API; resolves once the API lists its tools as available. */
export async function startRunner(
  api: RunningApi,
  tokens: TestTokens,
  env: Record<string, string> = {},
  options: { wrap?: string[]; waitFor?: string; timeoutMs?: number } = {},
): Promise<Running> {
  const r = launch('runner.mjs', { NETDIAG_API_URL: api.url, NETDIAG_RUNNER_TOKEN: tokens.runner, ...env }, options.wrap);
  const want = options.waitFor ?? 'ping';
  const until = Date.now() + (options.timeoutMs ?? 10_000);
  while (Date.now() < until) {
    const res = await api.fetch(`${api.url}/tools`, { headers: { authorization: `Bearer ${tokens.client}` } });
    const body = (await res.json()) as { tools: Array<{ name: string; available: boolean }> };
    if (body.tools.some((t) => t.name === want && t.available)) return r;
    if (r.proc.exitCode !== null) break;
    await new Promise((res2) => setTimeout(res2, 50));
  }
  await r.stop();
  throw new Error(`runner did not advertise ${want}:\n${r.logs()}`);
}

/** POST a tool call to the API as a client. */
export async function execute(api: RunningApi, token: string, tool: string, params: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${api.url}/tools/${tool}/execute`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(params),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** A loopback port that nothing listens on (bound, then released). */
export function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
