/**
 * Issue 6: what tracing and metrics cost per call. Two stacks side by side, each an API, a runner and the bundled shim
 * on loopback: one with OpenTelemetry off (OTEL_SDK_DISABLED=true), one with spans exported through the SDK's batch
 * span processor (OTLP/HTTP protobuf, the default; the shim's own OTLP/JSON batcher) to a sink on 127.0.0.1 that
 * drains and discards, and metrics recorded. REST calls, refused calls and MCP calls through the shim (issue 12).
 * Calls interleave in random order, each after a short pause, so drift and leftover work hit both alike. Two
 * figures: wall time per call (paired within each round), and CPU time the API, runner and shim processes spend per
 * call, which stays meaningful when other work shares the machine. Figures only; nothing is asserted. The bundles are
 * dist/'s, or a private copy's with BENCH_DIST=/abs/path (test/helpers/processes.ts), as others rebuild dist/.
 */
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { DIST, type RunningApi, startApi, startRunner } from '../test/helpers/processes';
import { type TestTokens, makeTokens } from '../test/helpers/tokens';
import { alternate, cpuOf, ms, printTable, shuffled, summarize } from './stats';

/** Accepts any OTLP export and throws it away; counts the requests. */
async function startSink(): Promise<{ url: string; requests: () => number; close: () => Promise<void> }> {
  let requests = 0;
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      requests += 1;
      res.writeHead(200, { 'content-type': req.headers['content-type'] ?? 'application/json' }).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, requests: () => requests, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

type Cpu = Record<'api' | 'runner' | 'shim', number>;
const ROLES = ['api', 'runner', 'shim'] as const;
/** ms of CPU per call of each process between two readings. */
const perCall = (a: Cpu, b: Cpu, rounds: number): Cpu => ({
  api: ((b.api - a.api) * 1000) / rounds,
  runner: ((b.runner - a.runner) * 1000) / rounds,
  shim: ((b.shim - a.shim) * 1000) / rounds,
});
const total = (c: Cpu): number => c.api + c.runner + c.shim;

interface Stack {
  api: RunningApi;
  /** The bundled shim against this API, with the same telemetry settings: the full MCP call. */
  mcp: Client;
  /** CPU seconds (user + system) the API, runner and shim processes have each used so far. */
  cpuSeconds(): Cpu;
  stop(): Promise<void>;
}

async function stack(tokens: TestTokens, env: Record<string, string>): Promise<Stack> {
  const common = { MCP_ALLOW_LOOPBACK: 'true', MCP_RATE_LIMIT_PER_MINUTE: '0', LOG_LEVEL: 'warn', ...env };
  const api = await startApi(tokens, common);
  const runner = await startRunner(api, tokens, common);
  const shimEnv = { PATH: process.env['PATH'] ?? '', NETDIAG_API_URL: api.url, NETDIAG_TOKEN: tokens.client, ...env };
  const shim = new StdioClientTransport({ command: process.execPath, args: [`${DIST}/shim.cjs`], env: shimEnv, stderr: 'ignore' });
  const mcp = new Client({ name: 'bench', version: '1' });
  await mcp.connect(shim);
  await mcp.listTools();
  return {
    api,
    mcp,
    cpuSeconds: () => ({ api: cpuOf(api.proc.pid), runner: cpuOf(runner.proc.pid), shim: cpuOf(shim.pid) }),
    stop: async () => {
      await mcp.close();
      await runner.stop();
      await api.stop();
    },
  };
}

/**
 * Like stats.alternate, but in a random order each round and with a pause before each call (not timed): a call
 * leaves work behind in its stack (the runner's next claim, log writes) that would otherwise land on the next call.
 */
async function interleave(rounds: number, settleMs: number, fns: Record<string, () => Promise<unknown>>): Promise<Record<string, number[]>> {
  const out: Record<string, number[]> = Object.fromEntries(Object.keys(fns).map((k) => [k, []]));
  const names = Object.keys(fns);
  for (let i = 0; i < rounds; i += 1) {
    for (const name of shuffled(names)) {
      await new Promise((resolve) => setTimeout(resolve, settleMs));
      const t0 = performance.now();
      await fns[name]?.();
      out[name]?.push(performance.now() - t0);
    }
  }
  return out;
}

/** One kind of call on both stacks: wall times and CPU per call of each. */
async function compare(
  rounds: number,
  off: Stack,
  on: Stack,
  call: (s: Stack) => () => Promise<void>,
): Promise<{ off: number[]; on: number[]; cpuOff: Cpu; cpuOn: Cpu }> {
  const cpu0 = { off: off.cpuSeconds(), on: on.cpuSeconds() };
  const t = await interleave(rounds, 5, { off: call(off), on: call(on) });
  return {
    off: t['off'] ?? [],
    on: t['on'] ?? [],
    cpuOff: perCall(cpu0.off, off.cpuSeconds(), rounds),
    cpuOn: perCall(cpu0.on, on.cpuSeconds(), rounds),
  };
}

function report(title: string, r: { off: number[]; on: number[]; cpuOff: Cpu; cpuOn: Cpu }): void {
  const paired = summarize(r.on.map((v, i) => v - (r.off[i] ?? v)));
  printTable(title, [
    ['telemetry off', summarize(r.off)],
    ['traced (OTLP, batch processor) + metrics', summarize(r.on)],
  ]);
  process.stdout.write(`  added wall time: median of paired differences ${ms(paired.median)}\n`);
  const { cpuOff: off, cpuOn: on } = r;
  process.stdout.write(`  CPU per call (API, runner and shim processes): off ${ms(total(off))}, on ${ms(total(on))}, added ${ms(total(on) - total(off))}\n`);
  process.stdout.write(`  CPU added per process: ${ROLES.map((p) => `${p} ${ms(on[p] - off[p])}`).join(', ')}\n`);
}

export async function benchObservability(rounds = Number(process.env['BENCH_ROUNDS'] ?? 200)): Promise<void> {
  const tokens = makeTokens();
  const sink = await startSink();
  const off = await stack(tokens, { OTEL_SDK_DISABLED: 'true' });
  const on = await stack(tokens, { OTEL_EXPORTER_OTLP_ENDPOINT: sink.url });
  const headers = { authorization: `Bearer ${tokens.client}`, 'content-type': 'application/json' };
  const post = (body: string, want: number) => (s: Stack) => async (): Promise<void> => {
    const res = await fetch(`${s.api.url}/tools/ping/execute`, { method: 'POST', headers, body });
    if (res.status !== want) throw new Error(`HTTP ${res.status}: ${await res.text()}`);
    await res.arrayBuffer();
  };
  const ping = post(JSON.stringify({ target: '127.0.0.1', count: 1 }), 200);
  const refused = post(JSON.stringify({ target: '0.0.0.0' }), 403);
  const mcpPing = (s: Stack) => async (): Promise<void> => {
    const r = await s.mcp.callTool({ name: 'ping', arguments: { target: '127.0.0.1', count: 1 } });
    if (r.isError) throw new Error(JSON.stringify(r.content));
  };
  try {
    await interleave(20, 5, { a: ping(off), b: ping(on), c: refused(off), d: refused(on), e: mcpPing(off), f: mcpPing(on) });
    process.stdout.write('\ntracing + metrics, off vs on (issue 6: ≤ 0.3 ms added per call at the median, batch span processor)');
    report('ping -c1 127.0.0.1 via REST (API spans, job spans, runner spans, metrics)', await compare(rounds, off, on, ping));
    report('refused call, API only (server span, refusal counters)', await compare(rounds, off, on, refused));
    // The whole call as an MCP client makes it (issue 12): the shim's tools/call span on top (its API requests carry its
    // traceparent, no CLIENT span: shim/src/telemetry/failed-request-events.ts).
    report('ping -c1 127.0.0.1 via MCP stdio through the shim (shim spans too)', await compare(rounds, off, on, mcpPing));

    const scrapes = await alternate(50, {
      text: async () => (await fetch(`${on.api.url}/metrics`, { headers: { authorization: `Bearer ${tokens.admin}` } })).text(),
      json: async () => (await fetch(`${on.api.url}/metrics?format=json`, { headers: { authorization: `Bearer ${tokens.admin}` } })).json(),
    });
    printTable('GET /metrics (whole scrape)', [
      ['Prometheus text', summarize(scrapes['text'] ?? [])],
      ['JSON', summarize(scrapes['json'] ?? [])],
    ]);
    process.stdout.write(`  OTLP export requests the sink received: ${sink.requests()}\n`);
  } finally {
    await on.stop();
    await off.stop();
    await sink.close();
  }
}
