// Support for tests with real API and runner processes: SSE reading over fetch, a recording proxy between a
// runner and the API, job polling and a /proc scan. Everything listens on and talks to 127.0.0.1 only.
import { type IncomingMessage, type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RunningApi } from '../helpers/processes';
import { type ProcInfo, findProcesses } from '../helpers/proc-watch';
import { type SseFrame, readSse } from '../helpers/sse';

export { type SseFrame, readSse };

/** Collect every frame of a long-lived SSE stream in the background (GET /events). */
export function collectSse(
  api: RunningApi,
  path: string,
  token: string,
): { frames: SseFrame[]; waitFor(match: (f: SseFrame) => boolean, timeoutMs: number): Promise<SseFrame>; close(): void } {
  const frames: SseFrame[] = [];
  const ac = new AbortController();
  const waiting = new Set<() => void>();
  void fetch(`${api.url}${path}`, { headers: { authorization: `Bearer ${token}` }, signal: ac.signal })
    .then((res) =>
      readSse(res, (f) => {
        frames.push(f);
        for (const w of waiting) w();
        return false;
      }),
    )
    .catch(() => undefined);
  return {
    frames,
    waitFor: (match, timeoutMs) =>
      new Promise<SseFrame>((resolve, reject) => {
        const check = (): void => {
          const hit = frames.find(match);
          if (!hit) return;
          waiting.delete(check);
          clearTimeout(timer);
          resolve(hit);
        };
        const timer = setTimeout(() => {
          waiting.delete(check);
          reject(new Error(`no matching event within ${timeoutMs} ms; saw: ${frames.map((f) => f.event).join(', ')}`));
        }, timeoutMs);
        waiting.add(check);
        check();
      }),
    close: () => ac.abort(),
  };
}

export const data = (f: SseFrame | undefined): Record<string, unknown> => JSON.parse(f?.data || '{}') as Record<string, unknown>;

export interface Exchange {
  method: string;
  path: string;
  status: number;
  request: unknown;
  response: unknown;
}

export interface RecordingProxy {
  url: string;
  /** Every runner call that got an answer, in order. */
  exchanges: Exchange[];
  close(): Promise<void>;
}

const readBody = (req: IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });

const parse = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
};

/**
 * Sits between one runner and the API and records each call and answer (claim replies carry the lease id and
 * heartbeatIntervalMs). When the runner hangs up (SIGKILL), the forwarded call is aborted too, so the API sees
 * the parked claim go away exactly as it would without the proxy.
 */
export async function startRecordingProxy(
  upstream: string,
  options: { refuse?: (method: string, path: string) => number | undefined } = {},
): Promise<RecordingProxy> {
  const exchanges: Exchange[] = [];
  const server: Server = createServer((req, res) => {
    // A refused path answers with that status at once and never reaches the API (e.g. the control poll "down").
    const refused = options.refuse?.(req.method ?? 'GET', req.url ?? '/');
    if (refused !== undefined) {
      exchanges.push({ method: req.method ?? 'GET', path: req.url ?? '/', status: refused, request: undefined, response: {} });
      res.writeHead(refused, { 'content-type': 'application/json' }).end('{}');
      return;
    }
    const ac = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) ac.abort();
    });
    void (async () => {
      const body = await readBody(req);
      const headers: Record<string, string> = {};
      for (const name of ['authorization', 'content-type', 'last-event-id']) {
        const v = req.headers[name];
        if (typeof v === 'string') headers[name] = v;
      }
      const up = await fetch(`${upstream}${req.url ?? '/'}`, { method: req.method ?? 'GET', headers, ...(body ? { body } : {}), signal: ac.signal });
      const text = await up.text();
      exchanges.push({ method: req.method ?? 'GET', path: req.url ?? '/', status: up.status, request: parse(body), response: parse(text) });
      res.writeHead(up.status, { 'content-type': up.headers.get('content-type') ?? 'application/json' });
      res.end(text);
    })().catch(() => {
      if (!res.headersSent && !res.destroyed) res.writeHead(502).end();
      else res.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    exchanges,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * The first recorded exchange for `path`, once the proxy has it: an exchange is recorded when its answer has come back,
 * and the API answers a runner's complete one turn after the held caller (docs/design.md, "Runner transport"), so a
 * job seen ended may not have its report's exchange yet. Undefined if none comes within `timeoutMs`.
 */
export async function exchangeFor(proxy: RecordingProxy, path: string, timeoutMs = 5000): Promise<Exchange | undefined> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const found = proxy.exchanges.find((e) => e.path === path);
    if (found || Date.now() > until) return found;
    await sleep(10);
  }
}

/** The claim replies that carried a job, as the runner received them. */
export function claimedJobs(proxy: RecordingProxy): Array<{ id: string; leaseId: string; heartbeatIntervalMs: number; attempt: number }> {
  return proxy.exchanges.flatMap((e) => {
    const job =
      e.path === '/runner/claim' && e.status === 200
        ? (e.response as { job?: { id: string; leaseId: string; heartbeatIntervalMs: number; attempt: number } }).job
        : undefined;
    return job ? [job] : [];
  });
}

export interface JobView {
  id: string;
  status: string;
  attempts: number;
  runnerId?: string;
  progress?: { progress: number; total?: number };
  result?: Record<string, unknown>;
  error?: { code: string; message: string };
}

export async function getJob(api: RunningApi, token: string, id: string): Promise<JobView> {
  const res = await fetch(`${api.url}/jobs/${id}`, { headers: { authorization: `Bearer ${token}` } });
  if (res.status !== 200) throw new Error(`GET /jobs/${id}: ${res.status} ${await res.text()}`);
  return (await res.json()) as JobView;
}

/** Poll a job until `done` holds; rejects with the last view after `timeoutMs`. */
export async function waitForJob(api: RunningApi, token: string, id: string, done: (j: JobView) => boolean, timeoutMs: number): Promise<JobView> {
  const until = Date.now() + timeoutMs;
  let last = await getJob(api, token, id);
  while (!done(last)) {
    if (Date.now() > until) throw new Error(`job ${id} did not reach the expected state within ${timeoutMs} ms: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 50));
    last = await getJob(api, token, id);
  }
  return last;
}

export const TERMINAL = new Set(['succeeded', 'failed', 'cancelled']);

/** Start a job with ?async=true; returns its id. */
export async function startJob(api: RunningApi, token: string, tool: string, params: Record<string, unknown>): Promise<string> {
  const res = await fetch(`${api.url}/tools/${tool}/execute?async=true`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(params),
  });
  const body = (await res.json()) as { jobId?: string };
  if (res.status !== 202 || !body.jobId) throw new Error(`execute ${tool}: ${res.status} ${JSON.stringify(body)}`);
  return body.jobId;
}

/**
 * Processes whose command line names `address` and a ping binary: ping itself and any wrapper around it
 * (prlimit, setpriv, unshare). A unique loopback address per test keeps other tests' pings out.
 */
export function pingProcesses(address: string): ProcInfo[] {
  return findProcesses((argv) => argv.includes(address) && argv.some((a) => /(^|\/)ping$/.test(a)));
}

/** A loopback address nobody else is likely to ping right now (127.0.0.0/8 all answers locally). */
export function uniqueLoopback(): string {
  const octet = (): number => 1 + Math.floor(Math.random() * 250);
  return `127.${octet()}.${octet()}.${octet()}`;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export interface RunnerSeen {
  id: string;
  tools: string[];
  registered: boolean;
  version?: string;
  privileged?: boolean;
  capacity?: number;
}

/** Connected runners as GET /health reports them. */
export async function connectedRunners(api: RunningApi, token: string): Promise<RunnerSeen[]> {
  const res = await fetch(`${api.url}/health`, { headers: { authorization: `Bearer ${token}` } });
  const body = (await res.json()) as { checks: Array<{ name: string; details?: { runners?: RunnerSeen[] } }> };
  return body.checks.find((c) => c.name === 'runners')?.details?.runners ?? [];
}

/** Wait until GET /health lists `runnerId`. */
export async function waitForRunner(api: RunningApi, token: string, runnerId: string, timeoutMs = 10_000): Promise<RunnerSeen> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const hit = (await connectedRunners(api, token)).find((r) => r.id === runnerId);
    if (hit) return hit;
    if (Date.now() > until) throw new Error(`runner ${runnerId} did not connect within ${timeoutMs} ms`);
    await sleep(50);
  }
}
