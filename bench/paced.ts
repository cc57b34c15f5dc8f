/**
 * Issue 12: the headline's calls (bench/npm-start.ts) paced the way a person or an assistant makes them, with the
 * whole machine idle for a while before each call, instead of back to back. Between calls a user's stack sits idle
 * for seconds; on a shared VM its processes then run cold (caches and TLBs refilled, halted vCPUs woken: measured in
 * bench/idle-wake.ts), and every process on the path pays that once per hop. The direct spawns are paced alike, so
 * the differences stay paired. Figures only; loopback only (127.0.0.1 and a listener this bench opens).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { startDevStack } from './dev-stack';
import { openPort, pathsFor, printAdded, printPathTargets, rounds } from './npm-start';
import { printTable, summarize } from './stats';

export async function benchPaced(n = Number(process.env['BENCH_ROUNDS_PACED'] ?? 30), paceMs = Number(process.env['BENCH_PACE_MS'] ?? 250)): Promise<void> {
  const { port, server } = await openPort();
  const stack = await startDevStack();
  try {
    const paths = await pathsFor(stack, port);
    try {
      await rounds(paths.calls, 5); // warm-up as in the headline: connections, JIT, page cache
      const paced = Object.fromEntries(
        Object.entries(paths.calls).map(([name, call]) => [
          name,
          async () => {
            await sleep(paceMs);
            return call();
          },
        ]),
      );
      const t = await rounds(paced, n);
      printTable(
        `npm start configuration, paced like a user: ${paceMs} ms idle before each call (ping -c1 127.0.0.1, nmap one open loopback port)`,
        Object.entries(t).map(([k, v]) => [k, summarize(v)]),
      );
      printAdded(t);
      printPathTargets(t); // the targets as users meet them: calls that come after a pause
    } finally {
      await paths.close();
    }
  } finally {
    await stack.stop();
    server.close();
  }
}
