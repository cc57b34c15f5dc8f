/**
 * `npm run bench memory` (issue 12, targets: API ≤ 80 MB, runner ≤ 70 MB idle): the resident memory (VmRSS, and its
 * anonymous and file-backed parts) of the API and the runner of the `npm start` configuration (bench/dev-stack.ts),
 * read from /proc/<pid>/status once they have been idle a while after start, again after 50 REST ping calls, and after
 * one MCP session over /mcp (which loads the MCP SDK into the API on first use), at once and idle. Two passes, each on a fresh stack,
 * so the noise shows. V8 gives unused young-generation space (up to 32 MB) back only after tens of seconds without
 * allocation (its memory reducer), so the figure depends on when it is read: at BENCH_MEMORY_SETTLE_SEC (default 10)
 * after start it still holds start-up garbage, by BENCH_MEMORY_IDLE_SEC (default 45) that is given back; the targets
 * are checked on the latter, the idle process. Loopback only.
 */
import { readFileSync } from 'node:fs';
import { connectHttp } from '../test/mcp/helpers/http-client';
import { type DevStack, startDevStack } from './dev-stack';

const SETTLE_SEC = Number(process.env['BENCH_MEMORY_SETTLE_SEC'] ?? 10);
const IDLE_SEC = Number(process.env['BENCH_MEMORY_IDLE_SEC'] ?? 45);
const TARGET_MB = { api: 80, runner: 70 } as const;

interface Rss {
  total: number;
  anon: number;
  file: number;
}

function rssOf(pid: number | undefined): Rss {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string): number => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? Number.NaN) / 1024;
    return { total: kb('VmRSS'), anon: kb('RssAnon'), file: kb('RssFile') };
  } catch {
    return { total: Number.NaN, anon: Number.NaN, file: Number.NaN };
  }
}

const mb = (v: number): string => `${v.toFixed(1)} MB`;
const idle = (sec: number): Promise<void> => new Promise((r) => setTimeout(r, sec * 1000));

function show(label: string, stack: DevStack, check: boolean): void {
  for (const name of ['api', 'runner'] as const) {
    const r = rssOf(stack[name].pid);
    const verdict = check ? `   (target ≤ ${TARGET_MB[name]} MB) ${r.total <= TARGET_MB[name] ? 'MET' : 'NOT MET'}` : '';
    process.stdout.write(
      `  ${`${label}, ${name}`.padEnd(52)} ${mb(r.total).padStart(9)}   anon ${mb(r.anon).padStart(9)}   file ${mb(r.file).padStart(9)}${verdict}\n`,
    );
  }
}

async function restPings(stack: DevStack, n: number): Promise<void> {
  const headers = { authorization: `Bearer ${stack.tokens.client}`, 'content-type': 'application/json' };
  for (let i = 0; i < n; i += 1) {
    const res = await fetch(`${stack.url}/tools/ping/execute`, { method: 'POST', headers, body: JSON.stringify({ target: '127.0.0.1', count: 1 }) });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`ping: HTTP ${res.status}`);
  }
}

export async function benchMemory(): Promise<void> {
  process.stdout.write(`\nidle memory, npm start configuration (VmRSS = anon + file; file is mostly the node binary's pages, shared)\n`);
  for (const pass of [1, 2]) {
    const stack = await startDevStack();
    try {
      await idle(SETTLE_SEC);
      show(`pass ${pass}: ${SETTLE_SEC} s after start`, stack, false);
      await idle(IDLE_SEC - SETTLE_SEC);
      show(`pass ${pass}: ${IDLE_SEC} s after start`, stack, true);
      await restPings(stack, 50);
      show(`pass ${pass}: right after 50 REST calls`, stack, false);
      await idle(IDLE_SEC);
      show(`pass ${pass}: 50 REST calls, then ${IDLE_SEC} s`, stack, true);
      const http = await connectHttp(stack.url, stack.tokens.client);
      await http.client.callTool({ name: 'ping', arguments: { target: '127.0.0.1', count: 1 } });
      await http.close();
      show(`pass ${pass}: right after one /mcp session (SDK loaded)`, stack, false);
      // An API that has served /mcp once keeps the SDK loaded: its idle figure is the one those users meet.
      await idle(IDLE_SEC);
      show(`pass ${pass}: one /mcp session, then ${IDLE_SEC} s`, stack, true);
    } finally {
      await stack.stop();
    }
  }
}
