/**
 * Two builds (or two settings) side by side in the `npm start` configuration (issue 12): BENCH_DIST_A and BENCH_DIST_B
 * are two copies of dist/ (e.g. before and after a change), BENCH_ENV_A and BENCH_ENV_B optional JSON objects of
 * extra environment (e.g. {"NETDIAG_SANDBOX_PIDNS":"false"}); both stacks run at once and their calls alternate within
 * each round, with the binary run directly in the same rounds, so a busy machine hits both alike. Each stack is called
 * over REST, over MCP through the shim (stdio) and over MCP on /mcp (Streamable HTTP, the SDK client) with ping, then
 * nmap on one open loopback port over MCP stdio and then REST, as bench/npm-start.ts calls them. Run on its own:
 *   BENCH_DIST_A=/path/a BENCH_DIST_B=/path/b npx tsx bench/run.ts 'a/b builds'
 * Figures only; loopback only.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { connectHttp } from '../test/mcp/helpers/http-client';
import { type DevStack, startDevStack } from './dev-stack';
import { runnerArgv, startDirectSpawner } from './direct-spawn';
import { openPort } from './npm-start';
import { cpuOf, ms, printTable, summarize } from './stats';

const PING = { target: '127.0.0.1', count: 1 };

export type Call = () => Promise<number>;

export async function clientOf(
  stack: DevStack,
  nmapPort: number,
): Promise<{ rest: Call; mcp: Call; http: Call; mcpNmap: Call; restNmap: Call; close: () => Promise<void>; shimPid: () => number | null }> {
  const transport = new StdioClientTransport({ ...stack.shim, env: { PATH: process.env['PATH'] ?? '', ...stack.shim.env }, stderr: 'ignore' });
  const client = new Client({ name: 'bench', version: '1' });
  await client.connect(transport);
  await client.listTools();
  const http = await connectHttp(stack.url, stack.tokens.client);
  await http.client.listTools();
  const headers = { authorization: `Bearer ${stack.tokens.client}`, 'content-type': 'application/json' };
  const nmap = { target: '127.0.0.1', ports: String(nmapPort) };
  const rest = (tool: string, args: object): Call => {
    const body = JSON.stringify(args);
    return async () => {
      const t0 = performance.now();
      const res = await fetch(`${stack.url}/tools/${tool}/execute`, { method: 'POST', headers, body });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
      return performance.now() - t0;
    };
  };
  const mcp =
    (tool: string, args: Record<string, unknown>): Call =>
    async () => {
      const t0 = performance.now();
      const r = await client.callTool({ name: tool, arguments: args });
      if (r.isError) throw new Error(JSON.stringify(r.content));
      return performance.now() - t0;
    };
  return {
    rest: rest('ping', PING),
    mcp: mcp('ping', PING),
    mcpNmap: mcp('nmap', nmap),
    restNmap: rest('nmap', nmap),
    http: async () => {
      const t0 = performance.now();
      const r = await http.client.callTool({ name: 'ping', arguments: PING });
      if (r.isError) throw new Error(JSON.stringify(r.content));
      return performance.now() - t0;
    },
    close: async () => {
      await http.close();
      await client.close();
    },
    shimPid: () => transport.pid,
  };
}

/**
 * Every call once per round, with A's and B's calls of a kind back to back, A first on even rounds and B first on odd
 * ones. The second of two back-to-back calls meets the first one's after-answer work (log lines, metrics, events):
 * with A always first, B's REST calls came out 0.25–0.55 ms slower whatever B ran (issue 12, session 5).
 */
async function alternatingRounds(calls: Record<string, () => Promise<number>>, n: number): Promise<Record<string, number[]>> {
  const names = Object.keys(calls);
  const other = (k: string): string => (k.startsWith('A ') ? `B ${k.slice(2)}` : k.startsWith('B ') ? `A ${k.slice(2)}` : k);
  const swapped = names.map(other);
  const out: Record<string, number[]> = Object.fromEntries(names.map((k) => [k, []]));
  for (let i = 0; i < n; i += 1) {
    for (const name of i % 2 === 0 ? names : swapped) {
      const call = calls[name];
      if (call) out[name]?.push(await call());
    }
  }
  return out;
}

/** Both builds' stacks (BENCH_DIST_A/B, BENCH_ENV_A/B) with their clients, the direct spawner and nmap's open port. */
export interface AbPair {
  distA: string;
  distB: string;
  a: DevStack;
  b: DevStack;
  ca: Awaited<ReturnType<typeof clientOf>>;
  cb: Awaited<ReturnType<typeof clientOf>>;
  spawner: ReturnType<typeof startDirectSpawner>;
  port: number;
  close(): Promise<void>;
}

/** The pair `section` compares, or undefined (and a line saying so) when BENCH_DIST_A or BENCH_DIST_B is not set. */
export async function startAbPair(section: string): Promise<AbPair | undefined> {
  const distA = process.env['BENCH_DIST_A'];
  const distB = process.env['BENCH_DIST_B'];
  if (!distA || !distB) {
    process.stdout.write(`\n${section}: set BENCH_DIST_A and BENCH_DIST_B to two copies of dist/ (skipped)\n`);
    return undefined;
  }
  const envOf = (v: string | undefined): Record<string, string> => (v ? (JSON.parse(v) as Record<string, string>) : {});
  const { port, server } = await openPort();
  const a = await startDevStack(envOf(process.env['BENCH_ENV_A']), distA);
  const b = await startDevStack(envOf(process.env['BENCH_ENV_B']), distB);
  const spawner = startDirectSpawner();
  const ca = await clientOf(a, port);
  const cb = await clientOf(b, port);
  return {
    distA,
    distB,
    a,
    b,
    ca,
    cb,
    spawner,
    port,
    close: async () => {
      spawner.stop();
      await ca.close();
      await cb.close();
      await a.stop();
      await b.stop();
      server.close();
    },
  };
}

export async function benchAbBuilds(n = Number(process.env['BENCH_ROUNDS_NPM_START'] ?? 40)): Promise<void> {
  const pair = await startAbPair('a/b builds');
  if (!pair) return;
  const { distA, distB, a, b, ca, cb, spawner, port } = pair;
  const nmapArgv = runnerArgv('nmap', { target: '127.0.0.1', ports: String(port) });
  try {
    const calls = {
      direct: () => spawner.run(runnerArgv('ping', PING)),
      'A REST': ca.rest,
      'B REST': cb.rest,
      'A MCP': ca.mcp,
      'B MCP': cb.mcp,
      'A MCP HTTP': ca.http,
      'B MCP HTTP': cb.http,
      // nmap as bench/npm-start.ts calls it (issue 12: its MCP stdio path was 1–1.5 ms over ping's): on each stack
      // MCP stdio, then REST.
      'direct nmap': () => spawner.run(nmapArgv),
      'A MCP nmap': ca.mcpNmap,
      'B MCP nmap': cb.mcpNmap,
      'A REST nmap': ca.restNmap,
      'B REST nmap': cb.restNmap,
    };
    await alternatingRounds(calls, 5);
    for (const pass of [1, 2]) {
      const cpu = (s: DevStack, shim: number | null): number => cpuOf(s.api.pid) + cpuOf(s.runner.pid) + cpuOf(shim);
      const cpuA = cpu(a, ca.shimPid());
      const cpuB = cpu(b, cb.shimPid());
      const apiA = cpuOf(a.api.pid);
      const apiB = cpuOf(b.api.pid);
      const shimA = cpuOf(ca.shimPid());
      const shimB = cpuOf(cb.shimPid());
      const t = await alternatingRounds(calls, n);
      printTable(
        `a/b builds, pass ${pass}: ping -c1 127.0.0.1 and nmap one open loopback port (A = ${distA} ${process.env['BENCH_ENV_A'] ?? ''}, B = ${distB} ${process.env['BENCH_ENV_B'] ?? ''})`,
        Object.entries(t).map(([k, v]) => [k, summarize(v)]),
      );
      const diff = (x: string, y: string): string => {
        const s = summarize((t[x] ?? []).map((v, i) => v - (t[y]?.[i] ?? Number.NaN)));
        return `median ${ms(s.median)}, p95 ${ms(s.p95)}`;
      };
      process.stdout.write(
        `  B − A per round: REST ${diff('B REST', 'A REST')}; MCP ${diff('B MCP', 'A MCP')}; MCP HTTP ${diff('B MCP HTTP', 'A MCP HTTP')}\n`,
      );
      process.stdout.write(`  added over the binary: A REST ${diff('A REST', 'direct')}; B REST ${diff('B REST', 'direct')}\n`);
      process.stdout.write(`                         A MCP ${diff('A MCP', 'direct')}; B MCP ${diff('B MCP', 'direct')}\n`);
      process.stdout.write(`  nmap B − A per round: MCP ${diff('B MCP nmap', 'A MCP nmap')}; REST ${diff('B REST nmap', 'A REST nmap')}\n`);
      process.stdout.write(`  nmap added over the binary: A MCP ${diff('A MCP nmap', 'direct nmap')}; B MCP ${diff('B MCP nmap', 'direct nmap')}\n`);
      process.stdout.write(`                              A REST ${diff('A REST nmap', 'direct nmap')}; B REST ${diff('B REST nmap', 'direct nmap')}\n`);
      process.stdout.write(`  MCP over HTTP vs REST (target ≤ 0.5 ms): A ${diff('A MCP HTTP', 'A REST')}; B ${diff('B MCP HTTP', 'B REST')}\n`);
      // Five calls per stack and round: three ping (REST, MCP stdio, MCP HTTP) and two nmap (MCP stdio, REST).
      const per = (c0: number, c1: number): string => ms(((c1 - c0) * 1000) / (5 * n));
      process.stdout.write(
        `  CPU per call (3 ping and 2 nmap calls alike), API + runner + shim: A ${per(cpuA, cpu(a, ca.shimPid()))}, B ${per(cpuB, cpu(b, cb.shimPid()))}; API alone: A ${per(apiA, cpuOf(a.api.pid))}, B ${per(apiB, cpuOf(b.api.pid))} (10 ms ticks over the pass)\n`,
      );
      // The shim serves only the MCP stdio calls: 2n per pass (ping and nmap).
      const perShim = (c0: number, c1: number): string => ms(((c1 - c0) * 1000) / (2 * n));
      process.stdout.write(`  shim CPU per MCP stdio call: A ${perShim(shimA, cpuOf(ca.shimPid()))}, B ${perShim(shimB, cpuOf(cb.shimPid()))}\n`);
    }
  } finally {
    await pair.close();
  }
}
