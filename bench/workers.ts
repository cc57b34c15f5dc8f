/**
 * Issue 11: the API on Workers (workerd through `npm run dev:workers`, the Durable Object broker) next to the Node API
 * in the same run: dispatch latency (a parked runner claim answered after `POST /tools/ping/execute?async=true`) and
 * a held `ping -c 1 127.0.0.1` through REST with a real runner, against the binary run directly. Figures only;
 * loopback only. `npm run bench workers`.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDevWorkers } from '../test/helpers/dev-workers';
import { type RunningApi, closedPort, startApi, startRunner } from '../test/helpers/processes';
import { type TestTokens, makeTokens } from '../test/helpers/tokens';
import { type Summary, printTable, summarize } from './stats';

const DISPATCHES = Number(process.env['BENCH_WORKERS_DISPATCHES'] ?? 50);
const PINGS = Number(process.env['BENCH_WORKERS_PINGS'] ?? 30);
const json = (token: string) => ({ authorization: `Bearer ${token}`, 'content-type': 'application/json' });

/** ms from the execute request to the parked claim's answer, per job; each job is then reported so it leaves the queue. */
async function dispatchLatency(api: RunningApi, tokens: TestTokens): Promise<Summary> {
  const samples: number[] = [];
  for (let i = 0; i < DISPATCHES + 3; i += 1) {
    const claim = fetch(`${api.url}/runner/claim`, {
      method: 'POST',
      headers: json(tokens.runner),
      body: JSON.stringify({ runnerId: 'bench-dispatch', tools: ['ping'], waitMs: 5000 }),
    });
    await new Promise((r) => setTimeout(r, 30)); // parked before the job arrives
    const t0 = performance.now();
    const started = fetch(`${api.url}/tools/ping/execute?async=true`, {
      method: 'POST',
      headers: json(tokens.client),
      body: JSON.stringify({ target: '127.0.0.1', count: 1 }),
    });
    const { job } = (await (await claim).json()) as { job?: { id: string; leaseId: string } };
    const took = performance.now() - t0;
    await started;
    if (!job) throw new Error('claim got no job');
    if (i >= 3) samples.push(took); // the first calls warm the isolate and the object up
    const outcome = { status: 'failed', error: { code: 'EXECUTION_ERROR', message: 'bench: not run', recoverySuggestion: 'none' }, durationMs: 0 };
    await fetch(`${api.url}/runner/jobs/${job.id}/complete`, {
      method: 'POST',
      headers: json(tokens.runner),
      body: JSON.stringify({ leaseId: job.leaseId, outcome }),
    });
  }
  return summarize(samples);
}

async function heldPings(api: RunningApi, tokens: TestTokens): Promise<Summary> {
  const samples: number[] = [];
  for (let i = 0; i < PINGS + 3; i += 1) {
    const t0 = performance.now();
    const res = await fetch(`${api.url}/tools/ping/execute`, {
      method: 'POST',
      headers: json(tokens.client),
      body: JSON.stringify({ target: '127.0.0.1', count: 1 }),
    });
    const body = (await res.json()) as { status?: string };
    if (body.status !== 'succeeded') throw new Error(`ping: ${res.status} ${JSON.stringify(body)}`);
    if (i >= 3) samples.push(performance.now() - t0);
  }
  return summarize(samples);
}

function directPings(): Summary {
  const samples: number[] = [];
  for (let i = 0; i < PINGS; i += 1) {
    const t0 = performance.now();
    spawnSync('ping', ['-c', '1', '-n', '127.0.0.1'], { stdio: 'ignore' });
    samples.push(performance.now() - t0);
  }
  return summarize(samples);
}

async function measure(api: RunningApi, tokens: TestTokens, runnerId: string): Promise<{ dispatch: Summary; ping: Summary }> {
  const dispatch = await dispatchLatency(api, tokens);
  const runner = await startRunner(api, tokens, { MCP_ALLOW_LOOPBACK: 'true', NETDIAG_RUNNER_ID: runnerId });
  try {
    return { dispatch, ping: await heldPings(api, tokens) };
  } finally {
    await runner.stop();
  }
}

export async function benchWorkers(): Promise<void> {
  const settings = { MCP_RATE_LIMIT_PER_MINUTE: '0', MCP_ALLOW_LOOPBACK: 'true' };
  const tokens = makeTokens();
  const node = await startApi(tokens, settings);
  let nodeFigures: { dispatch: Summary; ping: Summary };
  try {
    nodeFigures = await measure(node, tokens, 'bench-node');
  } finally {
    await node.stop();
  }
  const stateDir = mkdtempSync(join(tmpdir(), 'netdiag-bench-workers-'));
  const workers = await startDevWorkers(stateDir, await closedPort(), settings);
  let workerFigures: { dispatch: Summary; ping: Summary };
  try {
    workerFigures = await measure(workers, workers.tokens, 'bench-workers');
  } finally {
    await workers.stop();
    rmSync(stateDir, { recursive: true, force: true });
  }
  const direct = directPings();
  printTable('workers: dispatch (execute?async → parked claim answered)', [
    ['Node API (memory broker)', nodeFigures.dispatch],
    ['Worker in workerd (Durable Object broker)', workerFigures.dispatch],
  ]);
  printTable('workers: ping -c 1 127.0.0.1, held REST call with a Node runner', [
    ['binary run directly', direct],
    ['through the Node API', nodeFigures.ping],
    ['through the Worker in workerd', workerFigures.ping],
  ]);
  const added = (s: Summary): string => `${(s.median - direct.median).toFixed(1)} ms`;
  process.stdout.write(`  added over the binary (medians): Node API ${added(nodeFigures.ping)}, Worker ${added(workerFigures.ping)}\n`);
}
