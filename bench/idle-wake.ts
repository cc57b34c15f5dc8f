/**
 * Issue 12: what idleness costs on this machine, apart from netdiag. The same step timed back to back and after the
 * process (and, on a shared VM, its vCPU) sat idle for a while: (1) a compute step of the path, the runner's parse of
 * an nmap XML answer (functions/tools/nmap/parse.ts), all in one process; (2) a round trip to another Node process
 * over an IPC pipe, the kind of hop a call makes between client, shim, API, runner and spawn server. A call that
 * waits on a binary for 24 ms (nmap) or for a user for seconds pays the cold figure on every hop after the wait;
 * bench/paced.ts shows the whole path paced that way. Figures only; no network.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { readNmapXml } from '../functions/tools/nmap/parse';
import { SERVICE_SCAN_XML } from '../functions/tools/nmap/fixtures';
import { ms, summarize } from './stats';

const GAPS_MS = [0, 1, 5, 25, 250];
const ECHO = `process.on('message', (m) => process.send(m));`;

function roundTrip(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    child.once('message', () => resolve(performance.now() - t0));
    child.send(0);
  });
}

async function afterGaps(label: string, step: () => Promise<number> | number, n: number): Promise<void> {
  for (let i = 0; i < 2000; i += 1) await step(); // warm: optimized code, every page touched
  process.stdout.write(`\n${label}\n`);
  for (const gap of GAPS_MS) {
    const times: number[] = [];
    for (let i = 0; i < n; i += 1) {
      if (gap > 0) await sleep(gap);
      times.push(await step());
    }
    const s = summarize(times);
    process.stdout.write(`  after ${`${gap} ms`.padStart(6)} idle   median ${ms(s.median).padStart(9)}   p95 ${ms(s.p95).padStart(9)}   (n=${n})\n`);
  }
}

export async function benchIdleWake(n = Number(process.env['BENCH_ROUNDS_IDLE'] ?? 60)): Promise<void> {
  await afterGaps(
    'idle wake, one process: parse of a 4-port nmap XML answer (the runner step after nmap exits)',
    () => {
      const t0 = performance.now();
      readNmapXml(SERVICE_SCAN_XML);
      return performance.now() - t0;
    },
    n,
  );
  const child = spawn(process.execPath, ['-e', ECHO], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  await new Promise((resolve) => child.once('spawn', resolve));
  try {
    await afterGaps('idle wake, two processes: a round trip over an IPC pipe to another Node process', () => roundTrip(child), n);
  } finally {
    child.kill();
  }
}
