/**
 * Issue 12: where one call's time goes, stage by stage, from timestamps taken in each process (the bench, the API and
 * the runner each stamp epoch milliseconds on one calibrated clock, functions/shared/telemetry/epoch-clock.ts). The API and runner stamp
 * only with NETDIAG_STAGE_TIMES=true (functions/shared/telemetry/stage-times.ts), which this pass sets on its own
 * `npm start` stack; they write one "stage times" line per job to their logs, read here afterwards. Clocks of
 * different processes agree to within a few tens of microseconds on one host. Figures only.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { epochClock } from '../functions/shared/telemetry/epoch-clock';
import { type HttpSession, connectHttp } from '../test/mcp/helpers/http-client';
import { startDevStack } from './dev-stack';
import { ms, summarize } from './stats';

/** The path of one held call, in order; each row of the table is the time from one stage to the next. */
const CHAIN = [
  'client.sent',
  'api.arrived',
  'api.handler',
  'api.enqueued',
  'api.claimAnswered',
  'api.claimWritten',
  'runner.received',
  'runner.pinned',
  'runner.spawn',
  'runner.spawned',
  'runner.exited',
  'runner.parsed',
  'runner.completePosted',
  'api.completeArrived',
  'api.completeReceived',
  'api.ended',
  'api.answered',
  'api.written',
  'client.received',
] as const;

/** MCP over HTTP: the /mcp POST's own stamps around the job's (functions/src/mcp-http/mcp-stage-stamps.ts); its api.arrived is the port's hand-over. */
const MCP_HTTP_CHAIN = [
  'client.sent',
  'mcp.arrived',
  'mcp.routed',
  ...CHAIN.slice(1, CHAIN.indexOf('api.answered') + 1),
  'mcp.settled',
  'mcp.written',
  'client.received',
] as const;

type Stamps = Record<string, number>;
const now = epochClock;

interface StageLine {
  msg?: string;
  jobId?: string;
  stages?: Stamps;
}

function stageLines(lines: readonly string[]): StageLine[] {
  const out: StageLine[] = [];
  for (const line of lines) {
    if (!line.includes('"stage times"')) continue;
    try {
      out.push(JSON.parse(line) as StageLine);
    } catch {
      // a line cut short by a concurrent write: skip it
    }
  }
  return out;
}

/** Each call's stamps from the three processes, joined: the API's by time window, the runner's by job id. */
function join(calls: ReadonlyArray<{ sent: number; received: number }>, api: StageLine[], runner: StageLine[]): Stamps[] {
  const byJob = new Map(runner.map((r) => [r.jobId, r.stages ?? {}]));
  return calls.flatMap((c) => {
    const within = (stage: string) => (l: StageLine) => (l.stages?.[stage] ?? 0) >= c.sent && (l.stages?.[stage] ?? 0) <= c.received;
    const a = api.find(within('api.handler'));
    if (!a?.stages) return [];
    const post = api.find(within('mcp.routed'))?.stages; // a /mcp POST's own line, if the call was one
    return [{ 'client.sent': c.sent, 'client.received': c.received, ...post, ...a.stages, ...(byJob.get(a.jobId) ?? {}) }];
  });
}

function print(title: string, joined: readonly Stamps[], chain: readonly string[] = CHAIN): void {
  process.stdout.write(`\n${title} (n=${joined.length}; median of each stage, p95 in brackets)\n`);
  let total = 0;
  for (let i = 1; i < chain.length; i += 1) {
    const from = chain[i - 1] ?? '';
    const to = chain[i] ?? '';
    const s = summarize(joined.map((j) => (j[to] ?? Number.NaN) - (j[from] ?? Number.NaN)).filter((d) => !Number.isNaN(d)));
    total += s.median;
    process.stdout.write(`  ${`${from} → ${to}`.padEnd(48)} ${ms(s.median).padStart(11)}   [${ms(s.p95)}]\n`);
  }
  const whole = summarize(joined.map((j) => (j['client.received'] ?? 0) - (j['client.sent'] ?? 0)));
  const job = summarize(joined.map((j) => (j['runner.exited'] ?? 0) - (j['runner.spawn'] ?? 0)));
  process.stdout.write(`  sum of stage medians ${ms(total)}; whole call median ${ms(whole.median)}; spawn → exit median ${ms(job.median)}\n`);
}

/**
 * `n` REST calls, `n` MCP stdio calls and `n` MCP over HTTP calls (ping -c1 127.0.0.1), in turn, on a stack with stage
 * times on; with `nmapPort` (an open loopback port) also `n` MCP stdio and `n` REST nmap calls in the same rounds.
 */
export async function printStageBreakdown(n: number, nmapPort?: number): Promise<void> {
  const stack = await startDevStack({ NETDIAG_STAGE_TIMES: 'true' });
  const transport = new StdioClientTransport({ ...stack.shim, env: { PATH: process.env['PATH'] ?? '', ...stack.shim.env }, stderr: 'ignore' });
  const client = new Client({ name: 'bench', version: '1' });
  const rest: Array<{ sent: number; received: number }> = [];
  const mcp: Array<{ sent: number; received: number }> = [];
  const mcpHttp: Array<{ sent: number; received: number }> = [];
  const mcpNmap: Array<{ sent: number; received: number }> = [];
  const restNmap: Array<{ sent: number; received: number }> = [];
  let http: HttpSession | undefined;
  try {
    await client.connect(transport);
    await client.listTools();
    http = await connectHttp(stack.url, stack.tokens.client); // as bench/npm-start.ts uses it
    await http.client.listTools();
    const headers = { authorization: `Bearer ${stack.tokens.client}`, 'content-type': 'application/json' };
    const body = JSON.stringify({ target: '127.0.0.1', count: 1 });
    for (let i = 0; i < n + 5; i += 1) {
      let sent = now();
      const res = await fetch(`${stack.url}/tools/ping/execute`, { method: 'POST', headers, body });
      await res.arrayBuffer();
      if (i >= 5) rest.push({ sent, received: now() });
      sent = now();
      await client.callTool({ name: 'ping', arguments: { target: '127.0.0.1', count: 1 } });
      if (i >= 5) mcp.push({ sent, received: now() });
      sent = now();
      await http.client.callTool({ name: 'ping', arguments: { target: '127.0.0.1', count: 1 } });
      if (i >= 5) mcpHttp.push({ sent, received: now() });
      if (nmapPort === undefined) continue;
      const nmap = { target: '127.0.0.1', ports: String(nmapPort) };
      sent = now();
      await client.callTool({ name: 'nmap', arguments: nmap });
      if (i >= 5) mcpNmap.push({ sent, received: now() });
      sent = now();
      await (await fetch(`${stack.url}/tools/nmap/execute`, { method: 'POST', headers, body: JSON.stringify(nmap) })).arrayBuffer();
      if (i >= 5) restNmap.push({ sent, received: now() });
    }
    await new Promise((r) => setTimeout(r, 200)); // the last lines are written after the answers
    const api = stageLines(stack.log('api'));
    const runner = stageLines(stack.log('runner'));
    print('per-stage breakdown, REST POST /tools/ping/execute (npm start configuration, NETDIAG_STAGE_TIMES=true)', join(rest, api, runner));
    print('per-stage breakdown, MCP stdio through the shim (client.sent → api.handler includes the shim)', join(mcp, api, runner));
    print(
      "per-stage breakdown, MCP over HTTP (/mcp, the SDK Client; api.arrived is the port's hand-over to the route functions)",
      join(mcpHttp, api, runner),
      MCP_HTTP_CHAIN,
    );
    if (nmapPort !== undefined) {
      print('per-stage breakdown, MCP stdio nmap, one open loopback port (client.sent → api.handler includes the shim)', join(mcpNmap, api, runner));
      print('per-stage breakdown, REST nmap, one open loopback port', join(restNmap, api, runner));
    }
  } finally {
    await http?.close();
    await client.close();
    await stack.stop();
  }
}
