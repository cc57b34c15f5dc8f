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
    const a = api.find((l) => (l.stages?.['api.handler'] ?? 0) >= c.sent && (l.stages?.['api.handler'] ?? 0) <= c.received);
    if (!a?.stages) return [];
    return [{ 'client.sent': c.sent, 'client.received': c.received, ...a.stages, ...(byJob.get(a.jobId) ?? {}) }];
  });
}

function print(title: string, joined: readonly Stamps[]): void {
  process.stdout.write(`\n${title} (n=${joined.length}; median of each stage, p95 in brackets)\n`);
  let total = 0;
  for (let i = 1; i < CHAIN.length; i += 1) {
    const from = CHAIN[i - 1] ?? '';
    const to = CHAIN[i] ?? '';
    const s = summarize(joined.map((j) => (j[to] ?? Number.NaN) - (j[from] ?? Number.NaN)).filter((d) => !Number.isNaN(d)));
    total += s.median;
    process.stdout.write(`  ${`${from} → ${to}`.padEnd(48)} ${ms(s.median).padStart(11)}   [${ms(s.p95)}]\n`);
  }
  const whole = summarize(joined.map((j) => (j['client.received'] ?? 0) - (j['client.sent'] ?? 0)));
  const job = summarize(joined.map((j) => (j['runner.exited'] ?? 0) - (j['runner.spawn'] ?? 0)));
  process.stdout.write(`  sum of stage medians ${ms(total)}; whole call median ${ms(whole.median)}; spawn → exit median ${ms(job.median)}\n`);
}

/** `n` REST calls and `n` MCP stdio calls (ping -c1 127.0.0.1), alternating, on a stack with stage times on. */
export async function printStageBreakdown(n: number): Promise<void> {
  const stack = await startDevStack({ NETDIAG_STAGE_TIMES: 'true' });
  const transport = new StdioClientTransport({ ...stack.shim, env: { PATH: process.env['PATH'] ?? '', ...stack.shim.env }, stderr: 'ignore' });
  const client = new Client({ name: 'bench', version: '1' });
  const rest: Array<{ sent: number; received: number }> = [];
  const mcp: Array<{ sent: number; received: number }> = [];
  try {
    await client.connect(transport);
    await client.listTools();
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
    }
    await new Promise((r) => setTimeout(r, 200)); // the last lines are written after the answers
    const api = stageLines(stack.log('api'));
    const runner = stageLines(stack.log('runner'));
    print('per-stage breakdown, REST POST /tools/ping/execute (npm start configuration, NETDIAG_STAGE_TIMES=true)', join(rest, api, runner));
    print('per-stage breakdown, MCP stdio through the shim (client.sent → api.handler includes the shim)', join(mcp, api, runner));
  } finally {
    await client.close();
    await stack.stop();
  }
}
