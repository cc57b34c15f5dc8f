/**
 * Two builds side by side (BENCH_DIST_A, BENCH_DIST_B, as bench/ab-builds.ts) called the way an assistant calls: the
 * machine idle BENCH_AB_PACE_MS (12 s) before each round, longer than the runner's warm job processes wait unused
 * (runner/src/sandbox/warm-pool.ts, WARM_IDLE_MS). Each round runs ping directly, then one kind of call on both stacks
 * (REST on even rounds, MCP stdio through the shim on odd ones), the stacks' order swapped every other round of a kind.
 * Differences are per round, against that round's direct run. Slow by design (BENCH_AB_PACED_ROUNDS, 24: ~5 minutes):
 *   BENCH_DIST_A=/path/a BENCH_DIST_B=/path/b npx tsx bench/run.ts 'builds paced'
 * Figures only; loopback only.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { type Call, startAbPair } from './ab-builds';
import { runnerArgv } from './direct-spawn';
import { ms, summarize } from './stats';

const PING = { target: '127.0.0.1', count: 1 };

export async function benchAbPaced(
  n = Number(process.env['BENCH_AB_PACED_ROUNDS'] ?? 24),
  paceMs = Number(process.env['BENCH_AB_PACE_MS'] ?? 12_000),
): Promise<void> {
  const pair = await startAbPair('builds paced');
  if (!pair) return;
  const { distA, distB, ca, cb, spawner } = pair;
  const direct = (): Promise<number> => spawner.run(runnerArgv('ping', PING));
  const added: Record<string, number[]> = { 'A REST': [], 'B REST': [], 'A MCP': [], 'B MCP': [] };
  try {
    for (let i = 0; i < 3; i += 1) for (const call of [direct, ca.rest, cb.rest, ca.mcp, cb.mcp]) await call();
    for (let i = 0; i < n; i += 1) {
      const kind = i % 2 === 0 ? 'REST' : 'MCP';
      const [a, b] = kind === 'REST' ? [ca.rest, cb.rest] : [ca.mcp, cb.mcp];
      const calls: Array<[string, Call]> = [
        ['A', a],
        ['B', b],
      ];
      if (Math.floor(i / 2) % 2 === 1) calls.reverse();
      await sleep(paceMs);
      const bare = await direct();
      for (const [build, call] of calls) added[`${build} ${kind}`]?.push((await call()) - bare);
    }
    process.stdout.write(`\nbuilds paced: ${paceMs} ms idle before each round, ping -c1 127.0.0.1 (A = ${distA}, B = ${distB})\n`);
    for (const [k, v] of Object.entries(added)) {
      const s = summarize(v);
      process.stdout.write(`  added over the binary, ${k.padEnd(7)} median ${ms(s.median).padStart(10)}   p95 ${ms(s.p95).padStart(10)}   (n=${s.n})\n`);
    }
  } finally {
    await pair.close();
  }
}
