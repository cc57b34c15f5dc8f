/**
 * Issue 4 (control plane): GET /tools throughput against a bare Hono server, dispatch latency in the job store,
 * and the API's memory idle and with a full queue. Figures only; loopback only.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { MemoryJobStore } from '../functions/src/jobs/memory-store';
import { ROOT, type RunningApi, startApi } from '../test/helpers/processes';
import { makeTokens } from '../test/helpers/tokens';
import { ms, summarize } from './stats';

const CONCURRENCY = 16;
const ROUND_MS = Number(process.env['BENCH_ROUND_MS'] ?? 3000);
const ROUNDS = 3;
const QUEUED = 1000;

/** The same Hono on the same Node server, doing nothing: the ceiling for any route. */
const HELLO_SERVER = `
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
const app = new Hono();
app.get('/', (c) => c.text('Hello Hono!'));
serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info) => process.stderr.write(JSON.stringify({ port: info.port }) + '\\n'));
`;

async function startHello(): Promise<{ url: string; proc: ChildProcess }> {
  const proc = spawn(process.execPath, ['--input-type=module', '-e', HELLO_SERVER], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  const port = await new Promise<number>((resolve, reject) => {
    let err = '';
    proc.stderr?.on('data', (d: Buffer) => {
      err += d.toString();
      const m = /"port":(\d+)/.exec(err);
      if (m) resolve(Number(m[1]));
    });
    proc.once('exit', (code) => reject(new Error(`hello server exited with ${String(code)}: ${err}`)));
  });
  return { url: `http://127.0.0.1:${port}/`, proc };
}

/** Requests per second that CONCURRENCY keep-alive fetch loops get from `url` in `durationMs`; and the body size. */
async function requestsPerSecond(url: string, headers: Record<string, string>, durationMs: number): Promise<{ rps: number; bytes: number }> {
  let done = 0;
  let bytes = 0;
  const until = performance.now() + durationMs;
  const loop = async (): Promise<void> => {
    while (performance.now() < until) {
      const res = await fetch(url, { headers });
      const body = await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`${url}: HTTP ${res.status}`);
      bytes = body.byteLength;
      done += 1;
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, loop));
  return { rps: done / ((performance.now() - t0) / 1000), bytes };
}

async function benchThroughput(): Promise<void> {
  const tokens = makeTokens();
  const api = await startApi(tokens, { LOG_LEVEL: 'warn', MCP_RATE_LIMIT_PER_MINUTE: '0' });
  const hello = await startHello();
  const toolsUrl = `${api.url}/tools`;
  const auth = { authorization: `Bearer ${tokens.reader}` };
  try {
    await requestsPerSecond(toolsUrl, auth, 500);
    await requestsPerSecond(hello.url, {}, 500);
    const apiRates: number[] = [];
    const helloRates: number[] = [];
    let toolsBytes = 0;
    for (let i = 0; i < ROUNDS; i += 1) {
      const a = await requestsPerSecond(toolsUrl, auth, ROUND_MS);
      apiRates.push(a.rps);
      toolsBytes = a.bytes;
      helloRates.push((await requestsPerSecond(hello.url, {}, ROUND_MS)).rps);
    }
    const api50 = summarize(apiRates).median;
    const hello50 = summarize(helloRates).median;
    process.stdout.write(
      `\nGET /tools throughput (${CONCURRENCY} keep-alive fetch loops, ${ROUNDS} alternating rounds of ${ROUND_MS} ms; target ≥ 50% of bare Hono)\n`,
    );
    process.stdout.write(
      `  real API: GET /tools (${(toolsBytes / 1024).toFixed(1)} KiB JSON, bearer check)  ${api50.toFixed(0).padStart(8)} /s   rounds ${apiRates.map((r) => r.toFixed(0)).join(', ')}\n`,
    );
    process.stdout.write(
      `  bare Hono on @hono/node-server: GET / text       ${hello50.toFixed(0).padStart(8)} /s   rounds ${helloRates.map((r) => r.toFixed(0)).join(', ')}\n`,
    );
    process.stdout.write(`  ratio: ${((api50 / hello50) * 100).toFixed(0)}% (client and servers share the machine's 2 cores)\n`);
  } finally {
    hello.proc.kill('SIGTERM');
    await api.stop();
  }
}

/** enqueue → claim resolved, with a runner already parked in a long-poll claim (in process, no HTTP). */
async function benchDispatch(samples = Number(process.env['BENCH_DISPATCH'] ?? 5000)): Promise<void> {
  const store = new MemoryJobStore({ leaseMs: 60_000, maxQueued: 10, maxRetained: 100 });
  const job = { tool: 'ping', params: { target: '10.0.0.1' }, target: '10.0.0.1', principal: 'bench', timeoutSec: 5 };
  const ok = { status: 'succeeded' as const, result: {}, durationMs: 0 };
  const times: number[] = [];
  try {
    for (let i = 0; i < samples + 200; i += 1) {
      const claim = store.claim({ runnerId: 'bench-runner', tools: ['ping', 'nmap'], waitMs: 10_000 });
      await new Promise((r) => setImmediate(r));
      const t0 = performance.now();
      await store.enqueue(job);
      const lease = await claim;
      const t1 = performance.now();
      if (!lease) throw new Error('claim returned nothing');
      if (i >= 200) times.push(t1 - t0);
      await store.complete(lease.job.id, lease.leaseId, ok);
    }
  } finally {
    store.close();
  }
  const s = summarize(times);
  process.stdout.write(`\ndispatch latency, enqueue → parked claim resolved (MemoryJobStore in process; target ≤ 0.5 ms)\n`);
  process.stdout.write(`  median ${ms(s.median)}   p95 ${ms(s.p95)}   (n=${s.n})\n`);
}

function rssMiB(pid: number | undefined): number {
  const kb = Number(/^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${String(pid)}/status`, 'utf8'))?.[1]);
  return kb / 1024;
}

const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 1000));

async function enqueueMany(api: RunningApi, token: string, n: number): Promise<void> {
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  let next = 0;
  const loop = async (): Promise<void> => {
    while (next < n) {
      const i = next++;
      const body = JSON.stringify({ target: `127.0.${(i >> 8) & 255}.${i & 255 || 1}`, count: 1 });
      const res = await fetch(`${api.url}/tools/ping/execute?async=true`, { method: 'POST', headers, body });
      if (res.status !== 202) throw new Error(`enqueue ${i}: HTTP ${res.status} ${await res.text()}`);
      await res.arrayBuffer();
    }
  };
  await Promise.all(Array.from({ length: 8 }, loop));
}

/** RSS of a fresh API: idle (after a few requests), then holding QUEUED jobs with no runner to take them. */
async function benchMemory(): Promise<void> {
  const tokens = makeTokens();
  // No runner, so nothing is ever sent; jobs stay queued (no NO_RUNNER for an hour); loopback targets only.
  // MCP_RATE_LIMIT_PER_MINUTE=0: the per-principal rate limit would refuse 1000 calls in a minute.
  const api = await startApi(tokens, {
    LOG_LEVEL: 'warn',
    MCP_ALLOW_LOOPBACK: 'true',
    MCP_QUEUE_WAIT_SEC: '3600',
    MCP_MAX_QUEUED_JOBS: String(QUEUED * 2),
    MCP_RATE_LIMIT_PER_MINUTE: '0',
  });
  try {
    for (let i = 0; i < 20; i += 1) await (await fetch(`${api.url}/tools`, { headers: { authorization: `Bearer ${tokens.reader}` } })).arrayBuffer();
    await settle();
    const idle = rssMiB(api.proc.pid);
    await enqueueMany(api, tokens.client, QUEUED);
    await settle();
    const loaded = rssMiB(api.proc.pid);
    const health = (await (await fetch(`${api.url}/health`, { headers: { authorization: `Bearer ${tokens.reader}` } })).json()) as {
      checks: Array<{ name: string; details?: { queued?: number } }>;
    };
    const queued = health.checks.find((c) => c.name === 'queue')?.details?.queued;
    process.stdout.write(`\nAPI memory (RSS of dist/api.mjs on Node ${process.version}; targets: idle ≤ 80 MB, +${QUEUED} queued jobs ≤ +30 MB)\n`);
    process.stdout.write(`  idle                                   ${idle.toFixed(1).padStart(7)} MiB\n`);
    process.stdout.write(
      `  with ${String(queued)} queued jobs (via HTTP, async)     ${loaded.toFixed(1).padStart(7)} MiB   (+${(loaded - idle).toFixed(1)} MiB)\n`,
    );
  } finally {
    await api.stop();
  }
}

export async function benchControlPlane(): Promise<void> {
  await benchThroughput();
  await benchDispatch();
  await benchMemory();
}
