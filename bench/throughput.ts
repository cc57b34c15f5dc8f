/**
 * `npm run bench throughput` (issue 12): the `npm start` configuration (bench/dev-stack.ts) under 200 concurrent REST
 * callers, each calling ping -c1 127.0.0.1 again as soon as its answer comes, for a fixed time; against `ping -c1
 * 127.0.0.1` spawned directly (no API, no runner, no sandbox) with the concurrency the runner uses for ping, which
 * the runner's start-up log states. Alternating, two passes each, in one run. Figures only; loopback only.
 * The stack's rate limit is the bench's (10000 per minute, still on the path); 429s are counted and printed.
 */
import { spawn } from 'node:child_process';
import { Agent, request } from 'node:http';
import { type DevStack, startDevStack } from './dev-stack';
import { runnerArgv } from './direct-spawn';
import { cpuOf, ms, statFields, summarize } from './stats';
import { SAFE_ENV } from '../runner/src/sandbox/spawn';

const CALLERS = Number(process.env['BENCH_THROUGHPUT_CALLERS'] ?? 200);
const SECONDS = Number(process.env['BENCH_THROUGHPUT_SEC'] ?? 15);
const PING = { target: '127.0.0.1', count: 1 };

interface Phase {
  done: number;
  latencies: number[];
  statuses: Record<string, number>;
  seconds: number;
}

/** `callers` loops of POST /tools/ping/execute over keep-alive connections until `seconds` pass. */
async function restPhase(stack: DevStack, callers: number, seconds: number): Promise<Phase> {
  const url = new URL(`${stack.url}/tools/ping/execute`);
  const agent = new Agent({ keepAlive: true, maxSockets: callers });
  const body = JSON.stringify(PING);
  const headers = { authorization: `Bearer ${stack.tokens.client}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) };
  const phase: Phase = { done: 0, latencies: [], statuses: {}, seconds };
  const call = (): Promise<number> =>
    new Promise((resolve, reject) => {
      const req = request(url, { method: 'POST', agent, headers }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.once('error', reject);
      req.end(body);
    });
  const t0 = performance.now();
  const until = t0 + seconds * 1000;
  await Promise.all(
    Array.from({ length: callers }, async () => {
      while (performance.now() < until) {
        const start = performance.now();
        const status = await call().catch(() => 0);
        phase.statuses[status] = (phase.statuses[status] ?? 0) + 1;
        if (status === 200) {
          phase.done += 1;
          phase.latencies.push(performance.now() - start);
        }
      }
    }),
  );
  phase.seconds = (performance.now() - t0) / 1000;
  agent.destroy();
  return phase;
}

// A small Node process (not the bench's, see bench/direct-spawn.ts) running `c` loops of the same spawn for `sec` s.
const SPAWN_LOOPS = `
const { spawn } = require('node:child_process');
const { file, args, env, c, sec } = JSON.parse(process.argv[1]);
const lat = []; const t0 = performance.now(); const until = t0 + sec * 1000;
const once = () => new Promise((r) => { const s = performance.now();
  const p = spawn(file, args, { shell: false, detached: true, env, stdio: ['ignore', 'pipe', 'pipe'] });
  p.stdout.resume(); p.stderr.resume(); p.once('close', (code) => { if (code === 0) lat.push(performance.now() - s); r(); }); });
const loop = async () => { while (performance.now() < until) await once(); };
Promise.all(Array.from({ length: c }, loop)).then(() => process.stdout.write(JSON.stringify({ lat, seconds: (performance.now() - t0) / 1000 })));`;

async function directPhase(concurrency: number, seconds: number): Promise<Phase> {
  const cmd = runnerArgv('ping', PING);
  const child = spawn(process.execPath, ['-e', SPAWN_LOOPS, JSON.stringify({ ...cmd, env: SAFE_ENV, c: concurrency, sec: seconds })], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  await new Promise((resolve) => child.once('close', resolve));
  const { lat, seconds: took } = JSON.parse(out) as { lat: number[]; seconds: number };
  return { done: lat.length, latencies: lat, statuses: { 200: lat.length }, seconds: took };
}

/** What the runner said at start-up: its capacity and ping's limit (runner/src/concurrency.ts). */
function runnerLimits(stack: DevStack): { capacity: number; ping: number; cores: number } {
  const line = stack.log('runner').find((l) => l.includes('"runner started"'));
  const parsed = line ? (JSON.parse(line) as { capacity?: number; cores?: number; concurrency?: Record<string, number> }) : {};
  return { capacity: parsed.capacity ?? Number.NaN, ping: parsed.concurrency?.['ping'] ?? Number.NaN, cores: parsed.cores ?? Number.NaN };
}

const rate = (p: Phase): number => p.done / p.seconds;

/** CPU seconds (user + system) a process has used so far (clock ticks of 10 ms); NaN when it is gone. */
function cpuSeconds(pid: number | undefined): number {
  return statFields(pid).length > 12 ? cpuOf(pid) : Number.NaN;
}

function line(label: string, p: Phase): string {
  const s = summarize(p.latencies);
  const other = Object.entries(p.statuses).filter(([k]) => k !== '200');
  const refused = other.length > 0 ? `   other answers: ${other.map(([k, n]) => `${k === '0' ? 'error' : k}×${n}`).join(', ')}` : '';
  return `  ${label.padEnd(44)} ${rate(p).toFixed(1).padStart(7)} jobs/s   p50 ${ms(s.median).padStart(11)}   p95 ${ms(s.p95).padStart(11)}   (n=${s.n})${refused}\n`;
}

export async function benchThroughput(): Promise<void> {
  const stack = await startDevStack();
  try {
    const limits = runnerLimits(stack);
    const c = Number.isFinite(limits.ping) ? limits.ping : 2;
    process.stdout.write(
      `\nthroughput, npm start configuration: ${CALLERS} concurrent REST callers, ping -c1 127.0.0.1, ${SECONDS} s per phase\n` +
        `  runner: ${limits.cores} cores, capacity ${limits.capacity}, ping concurrency ${limits.ping}; direct spawns: ${c} at once; rate limit 10000/min\n`,
    );
    await restPhase(stack, 20, 2); // warm-up: connections, JIT
    const ratios: number[] = [];
    for (const pass of [1, 2]) {
      const direct = await directPhase(c, SECONDS);
      const cpu0 = [cpuSeconds(stack.api.pid), cpuSeconds(stack.runner.pid)];
      const rest = await restPhase(stack, CALLERS, SECONDS);
      const [api, runner] = [cpuSeconds(stack.api.pid) - (cpu0[0] ?? 0), cpuSeconds(stack.runner.pid) - (cpu0[1] ?? 0)];
      process.stdout.write(line(`pass ${pass}: ping -c1 spawned directly, ${c} at once`, direct));
      process.stdout.write(line(`pass ${pass}: REST through API + runner, ${CALLERS} callers`, rest));
      const perJob = (cpu: number): string => `${((1000 * cpu) / Math.max(1, rest.done)).toFixed(2)} ms`;
      process.stdout.write(`    CPU during the REST phase: API ${perJob(api)} per job, runner ${perJob(runner)} per job (its own process, not the jobs)\n`);
      ratios.push(rate(rest) / rate(direct));
    }
    const worst = Math.min(...ratios);
    process.stdout.write(
      `  REST / direct: ${ratios.map((r) => `${(100 * r).toFixed(0)}%`).join(', ')} (target ≥ 80% with one runner on 2 cores) ${worst >= 0.8 ? 'MET' : 'NOT MET'}\n`,
    );
  } finally {
    await stack.stop();
  }
}
