import { spawn } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { ROOT, startApi, startRunner } from '../test/helpers/processes';
import { makeTokens } from '../test/helpers/tokens';
import { alternate, ms, printTable, summarize } from './stats';

const PING_ARGS = ['-n', '-4', '-c', '1', '-i', '1', '-s', '56', '-W', '2', '-w', '3', '--', '127.0.0.1'];

function pingDirect(): Promise<void> {
  return new Promise((resolve, reject) => {
    const p = spawn('/usr/bin/ping', PING_ARGS, { stdio: ['ignore', 'pipe', 'pipe'] });
    p.stdout.resume();
    p.stderr.resume();
    p.once('error', reject);
    p.once('close', () => resolve());
  });
}

/** Spawn the bundled shim, connect the SDK client and wait for the first tools/list (bench/mcp.ts uses it too). */
export async function connect(env: Record<string, string>): Promise<{ client: Client; ready: number }> {
  const t0 = performance.now();
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [`${ROOT}dist/shim.cjs`],
    env: { PATH: process.env['PATH'] ?? '', ...env },
    stderr: 'ignore',
  });
  const client = new Client({ name: 'bench', version: '1' });
  await client.connect(transport);
  await client.listTools();
  return { client, ready: performance.now() - t0 };
}

export function nodeEmpty(): Promise<void> {
  return new Promise((resolve) => spawn(process.execPath, ['-e', ''], { stdio: 'ignore' }).once('close', () => resolve()));
}

/** Issue 2: what the whole path adds over running the binary directly, and how fast the shim starts. */
export async function benchPathOverhead(rounds = Number(process.env['BENCH_ROUNDS'] ?? 200)): Promise<void> {
  const tokens = makeTokens();
  // Hundreds of calls with one token: rate limiting off (the product default would answer 429 after 10).
  const api = await startApi(tokens, { MCP_ALLOW_LOOPBACK: 'true', MCP_RATE_LIMIT_PER_MINUTE: '0' });
  const runner = await startRunner(api, tokens, { MCP_ALLOW_LOOPBACK: 'true' });
  const env = { NETDIAG_API_URL: api.url, NETDIAG_TOKEN: tokens.client };
  const { client } = await connect(env);
  const body = JSON.stringify({ target: '127.0.0.1', count: 1 });
  const headers = { authorization: `Bearer ${tokens.client}`, 'content-type': 'application/json' };
  const viaHttp = async (): Promise<void> => {
    const res = await fetch(`${api.url}/tools/ping/execute`, { method: 'POST', headers, body });
    if (res.status !== 200) throw new Error(`HTTP ${res.status}: ${await res.text()}`);
    await res.arrayBuffer();
  };
  const viaMcp = async (): Promise<void> => {
    const r = await client.callTool({ name: 'ping', arguments: { target: '127.0.0.1', count: 1 } });
    if (r.isError) throw new Error(JSON.stringify(r.content));
  };
  try {
    await alternate(10, { a: pingDirect, b: viaHttp, c: viaMcp });
    const t = await alternate(rounds, { direct: pingDirect, http: viaHttp, mcp: viaMcp });
    const direct = summarize(t['direct'] ?? []);
    const http = summarize(t['http'] ?? []);
    const mcp = summarize(t['mcp'] ?? []);
    printTable('ping -c1 127.0.0.1 (issue 2: whole path adds ≤ 3 ms at the median)', [
      ['binary run directly (spawn)', direct],
      ['REST: API + runner over HTTP', http],
      ['MCP: shim + API + runner (SDK client, stdio)', mcp],
    ]);
    process.stdout.write(`  added by API+runner: median ${ms(http.median - direct.median)}, p95 ${ms(http.p95 - direct.p95)}\n`);
    process.stdout.write(`  added by shim+API+runner: median ${ms(mcp.median - direct.median)}, p95 ${ms(mcp.p95 - direct.p95)}\n`);

    await shimColdStart(env, 20);
  } finally {
    await client.close();
    await runner.stop();
    await api.stop();
  }
}

/** Shim cold start against a bare `node -e ''`, interleaved in one run, and the bundle size. Prints; asserts nothing. */
export async function shimColdStart(env: Record<string, string>, rounds: number): Promise<void> {
  const cold: number[] = [];
  const bare: number[] = [];
  for (let i = 0; i < rounds; i += 1) {
    const t0 = performance.now();
    await nodeEmpty();
    bare.push(performance.now() - t0);
    const s = await connect(env);
    cold.push(s.ready);
    await s.client.close();
  }
  const shim = summarize(cold);
  const node = summarize(bare);
  printTable('shim cold start: spawn → initialize → first tools/list answered (target ≤ 100 ms)', [
    ["node -e '' (spawn to exit)", node],
    ['dist/shim.cjs: spawn → tools/list answered', shim],
  ]);
  process.stdout.write(`  shim over bare node: median ${ms(shim.median - node.median)}\n`);
  const size = (await stat(`${ROOT}dist/shim.cjs`)).size;
  process.stdout.write(`  shim bundle: ${size} bytes = ${(size / 1000).toFixed(1)} KB (target ≤ 300 KB)\n`);
}
