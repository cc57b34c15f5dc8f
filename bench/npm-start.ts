/**
 * Issue 12's headline: the `npm start` configuration (bench/dev-stack.ts) called the way users call it, an MCP client
 * (the SDK Client over stdio through the bundled shim, as in the printed Claude Desktop config) calling ping and nmap,
 * alternating in one run with the same binary and argv spawned directly (bench/direct-spawn.ts); REST and MCP over
 * HTTP (/mcp) in the same rounds, and each path's floor (bench/floors.ts: the same client to a server in another
 * process that answers at once). Two passes, so the noise of a shared machine shows. Figures only; nothing is
 * asserted. Loopback only: the targets are 127.0.0.1 and a TCP listener this bench opens.
 */
import { type Server, createServer } from 'node:net';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { connectHttp } from '../test/mcp/helpers/http-client';
import { type DevStack, startDevStack } from './dev-stack';
import { runnerArgv, startDirectSpawner } from './direct-spawn';
import { FLOOR, type Floors, startFloors, withFloors } from './floors';
import { reportFloors } from './floors-report';
import { printStageBreakdown } from './stage-breakdown';
import { type Summary, cpuOf, ms, printTable, shuffled, summarize } from './stats';

type Call = () => Promise<number>;

/** A TCP listener on loopback: nmap's one open port (also bench/ab-builds.ts). */
export async function openPort(): Promise<{ port: number; server: Server }> {
  const server = createServer((s) => s.destroy());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return { port: typeof address === 'object' && address ? address.port : 0, server };
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

/** The calls of one round, each answering its own time (the direct ones: as measured by the spawner). */
export interface Paths {
  calls: Record<string, Call>;
  /** durationMs the API reported for REST calls, by call name: the runner-side job time (spawn → parsed). */
  jobMs: Record<string, number[]>;
  /** CPU seconds used so far by the API, the runner and the stdio shim. */
  cpu(): { api: number; runner: number; shim: number };
  /** The floor calls (bench/floors.ts), made by the same client code as the real ping calls. */
  floorCalls(floors: Floors): Record<string, Call>;
  close(): Promise<void>;
}

export async function pathsFor(stack: DevStack, nmapPort: number): Promise<Paths> {
  const spawner = startDirectSpawner();
  const transport = new StdioClientTransport({ ...stack.shim, env: { PATH: process.env['PATH'] ?? '', ...stack.shim.env }, stderr: 'ignore' });
  const stdio = new Client({ name: 'bench', version: '1' });
  await stdio.connect(transport);
  await stdio.listTools();
  const http = await connectHttp(stack.url, stack.tokens.client);
  await http.client.listTools();
  const ping = { target: '127.0.0.1', count: 1 };
  const nmap = { target: '127.0.0.1', ports: String(nmapPort) };
  const headers = { authorization: `Bearer ${stack.tokens.client}`, 'content-type': 'application/json' };
  const jobMs: Record<string, number[]> = { 'REST ping': [], 'REST nmap': [] };
  const rest =
    (name: string, tool: string, args: object, base = stack.url) =>
    async () => {
      const t0 = performance.now();
      const res = await fetch(`${base}/tools/${tool}/execute`, { method: 'POST', headers, body: JSON.stringify(args) });
      const body = (await res.json()) as { durationMs?: number };
      const elapsed = performance.now() - t0;
      if (res.status !== 200) throw new Error(`REST ${tool}: HTTP ${res.status} ${JSON.stringify(body)}`);
      jobMs[name]?.push(body.durationMs ?? Number.NaN);
      return elapsed;
    };
  const mcp = (client: Client, tool: string, args: Record<string, unknown>) => () =>
    timed(async () => {
      const r = await client.callTool({ name: tool, arguments: args });
      if (r.isError) throw new Error(`${tool}: ${JSON.stringify(r.content)}`);
    });
  return {
    calls: {
      'direct ping': () => spawner.run(runnerArgv('ping', ping)),
      'MCP stdio ping': mcp(stdio, 'ping', ping),
      'REST ping': rest('REST ping', 'ping', ping),
      'MCP HTTP ping': mcp(http.client, 'ping', ping),
      'direct nmap': () => spawner.run(runnerArgv('nmap', nmap)),
      'MCP stdio nmap': mcp(stdio, 'nmap', nmap),
      'REST nmap': rest('REST nmap', 'nmap', nmap),
    },
    jobMs,
    cpu: () => ({ api: cpuOf(stack.api.pid), runner: cpuOf(stack.runner.pid), shim: cpuOf(transport.pid) }),
    floorCalls: (floors) => ({
      [FLOOR.stdio]: mcp(floors.stdio, 'ping', ping),
      [FLOOR.rest]: rest(FLOOR.rest, 'ping', ping, floors.restUrl),
      [FLOOR.http]: mcp(floors.http, 'ping', ping),
      [FLOOR.httpClient]: mcp(floors.httpClientOnly, 'ping', ping),
    }),
    close: async () => {
      spawner.stop();
      await stdio.close();
      await http.close();
    },
  };
}

/**
 * Every call once per round, so drift in machine load hits all alike, with the units (groups of calls kept together,
 * in order; by default each call alone) in a new random order each round. A call's time depends on the one before it:
 * the stack's work after answering (its records, the runner's fresh warm process) overlaps whatever comes next, and a
 * fixed order gave each call the same predecessor every round. In two runs of 400 random rounds the bare ping took
 * 2.00 / 2.25 ms after a bare ping and 2.27–2.49 / 2.55–2.70 ms after a stack call (the fixed order had it after the
 * REST nmap call every round), and the stack calls moved by up to 0.4 ms with their predecessor (docs/design.md,
 * "Call order in the headline rounds").
 */
export async function rounds(
  calls: Record<string, Call>,
  n: number,
  units: readonly (readonly string[])[] = Object.keys(calls).map((k) => [k]),
): Promise<Record<string, number[]>> {
  const out: Record<string, number[]> = Object.fromEntries(Object.keys(calls).map((k) => [k, []]));
  for (let i = 0; i < n; i += 1)
    for (const unit of shuffled(units))
      for (const name of unit) {
        const call = calls[name];
        if (call) out[name]?.push(await call());
      }
  return out;
}

const paired = (a: readonly number[], b: readonly number[]): Summary => summarize(a.map((x, i) => x - (b[i] ?? Number.NaN)));

/** What each path adds, per round, over the binary run directly (and MCP over HTTP over REST): also bench/paced.ts. */
export function printAdded(t: Record<string, number[]>): void {
  const lines: Array<[string, string, string]> = [
    ['MCP stdio ping', 'direct ping', 'whole MCP path over the binary, ping'],
    ['MCP stdio nmap', 'direct nmap', 'whole MCP path over the binary, nmap'],
    ['REST ping', 'direct ping', 'REST over the binary, ping'],
    ['REST nmap', 'direct nmap', 'REST over the binary, nmap'],
    ['MCP HTTP ping', 'REST ping', 'MCP over HTTP vs REST, ping'],
  ];
  for (const [a, b, label] of lines) {
    const d = paired(t[a] ?? [], t[b] ?? []);
    process.stdout.write(`  added, ${label.padEnd(40)} median ${ms(d.median).padStart(10)}   p95 ${ms(d.p95).padStart(10)} (per-round differences)\n`);
  }
}
const target = (label: string, value: number, limit: number): string =>
  `  ${label}: ${ms(value)} (target ≤ ${limit} ms) ${value <= limit ? 'MET' : 'NOT MET'}\n`;

/** Issue 12's wall-time targets for the paths, each a median of per-round differences: also bench/paced.ts. */
export function printPathTargets(t: Record<string, number[]>): void {
  const pick = (a: string, b: string): number => paired(t[a] ?? [], t[b] ?? []).median;
  process.stdout.write(target('whole MCP path added, ping', pick('MCP stdio ping', 'direct ping'), 3));
  process.stdout.write(target('whole MCP path added, nmap', pick('MCP stdio nmap', 'direct nmap'), 3));
  process.stdout.write(target('REST added, ping', pick('REST ping', 'direct ping'), 2.5));
  process.stdout.write(target('MCP over HTTP vs REST', pick('MCP HTTP ping', 'REST ping'), 0.5));
}

/** CPU milliseconds per call of each process over a pass: wall figures suffer from a busy machine, these less. */
function reportCpu(before: ReturnType<Paths['cpu']>, after: ReturnType<Paths['cpu']>, stackCalls: number, shimCalls: number): void {
  const per = (a: number, b: number, n: number): string => ms(((b - a) * 1000) / Math.max(1, n));
  process.stdout.write(
    `  CPU per call (10 ms ticks over the pass): API ${per(before.api, after.api, stackCalls)}, runner ${per(before.runner, after.runner, stackCalls)} (includes its spawn), shim ${per(before.shim, after.shim, shimCalls)}\n`,
  );
}

function report(pass: number, t: Record<string, number[]>, jobMs: Record<string, number[]>): void {
  const get = (k: string): number[] => t[k] ?? [];
  printTable(
    `npm start configuration, pass ${pass}: ping -c1 127.0.0.1 and nmap one open loopback port`,
    Object.keys(t).map((k) => [k, summarize(get(k))]),
  );
  printAdded(t);
  for (const [rest, direct] of [
    ['REST ping', 'direct ping'],
    ['REST nmap', 'direct nmap'],
  ] as const) {
    const d = paired(jobMs[rest] ?? [], get(direct));
    process.stdout.write(`  runner-side job time (durationMs) over the bare spawn, ${direct.slice(7)}: median ${ms(d.median)}, p95 ${ms(d.p95)}\n`);
  }
  printPathTargets(t);
  process.stdout.write(target('runner-side job time over the bare spawn, ping', paired(jobMs['REST ping'] ?? [], get('direct ping')).median, 1));
}

export async function benchNpmStart(n = Number(process.env['BENCH_ROUNDS_NPM_START'] ?? 30)): Promise<void> {
  const { port, server } = await openPort();
  const stack = await startDevStack();
  try {
    process.stdout.write(
      `\nnpm start configuration: API + runner from ${stack.shim.args.at(-1)?.replace(/shim\.cjs$/, '')}, state in a temp dir, rate limit 10000/min\n`,
    );
    const paths = await pathsFor(stack, port);
    try {
      await rounds(paths.calls, 5); // warm-up: connections, JIT, page cache
      for (const k of Object.keys(paths.jobMs)) paths.jobMs[k] = [];
      for (const pass of [1, 2]) {
        // Floors (bench/floors.ts): new processes each pass, warmed like the paths, run as a block after the direct ping.
        const floors = await startFloors(stack.tokens.client);
        let t: Record<string, number[]>;
        let cpu: [ReturnType<Paths['cpu']>, ReturnType<Paths['cpu']>];
        try {
          const floorCalls = paths.floorCalls(floors);
          await rounds(floorCalls, 5);
          const cpu0 = paths.cpu();
          const round = withFloors(paths.calls, floorCalls);
          t = await rounds(round.calls, n, round.units);
          cpu = [cpu0, paths.cpu()];
        } finally {
          await floors.close();
        }
        report(pass, t, paths.jobMs);
        reportFloors(t);
        // Calls that reach the API and runner: everything but the direct spawns; the shim sees the two stdio ones.
        const stackCalls = Object.keys(paths.calls).filter((k) => !k.startsWith('direct')).length * n;
        reportCpu(...cpu, stackCalls, Object.keys(paths.calls).filter((k) => k.startsWith('MCP stdio')).length * n);
        for (const k of Object.keys(paths.jobMs)) paths.jobMs[k] = [];
      }
    } finally {
      await paths.close();
    }
  } finally {
    await stack.stop();
  }
  try {
    await printStageBreakdown(Math.max(10, Math.round(n / 2)), port);
  } finally {
    server.close();
  }
}
