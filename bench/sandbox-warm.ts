/**
 * The runner's own configuration (docs/security.md, "Sandbox", cost per job): the spawn server with warm job processes
 * (runner/src/sandbox/warm-pool.ts), where the hardening is done before the job is asked for. Bare ping, the plain
 * helper and the hardened helper (with and without the per-job cgroup), alternating run by run in one pass, so each
 * profile's next job finds the warm process its previous job left. Latency at the median and p95, and CPU per job: the
 * hardening's CPU does not go away, it is spent ahead (counted when the warm process that did it is reaped with its job).
 * The plain and the hardened helper are also run served cold in the same pass (the pool off for that job only).
 */
import type { Sandbox } from '../runner/src/sandbox/wrapper';
import { setWarmJobsEnabled } from '../runner/src/sandbox/warm-pool';
import { measureVariants } from './sandbox-measure';
import { ms, printTable, type Summary, summarize } from './stats';

export async function benchWarmPool(list: ReadonlyMap<string, Sandbox | undefined>, rounds: number, warmup: number, names: readonly string[]): Promise<void> {
  const [bareName] = list.keys();
  const chosen = new Map([...list].filter(([name]) => name === bareName || names.includes(name)));
  if (chosen.size < 3) return;
  const [helper, hardened, withCgroup] = names;
  const cold = `${hardened ?? ''}, served cold`;
  const plainCold = `${helper ?? ''}, served cold`;
  chosen.set(plainCold, list.get(helper ?? ''));
  chosen.set(cold, list.get(hardened ?? ''));
  const served = (name: string): boolean => name !== cold && name !== plainCold;
  const { samples, cpu, own } = await measureVariants(chosen, rounds, warmup, (name) => setWarmJobsEnabled(served(name)));
  const rows = Object.entries(samples).map(([name, xs]): [string, Summary] => [name, summarize(xs)]);
  printTable(`sandbox, the runner's configuration (spawn server + warm job processes; ${rounds} interleaved runs each)`, rows);
  const row = (name: string | undefined): Summary | undefined => rows.find(([n]) => n === name)?.[1];
  const perJob = (m: Map<string, number>, name: string | undefined): number => (name === undefined ? Number.NaN : (m.get(name) ?? 0) / rounds);
  const h = row(helper);
  const hd = row(hardened);
  const cg = row(withCgroup);
  if (h && hd) process.stdout.write(`  warm: hardening adds (hardened - helper): median ${ms(hd.median - h.median)}, p95 ${ms(hd.p95 - h.p95)}\n`);
  if (hd && cg)
    process.stdout.write(`  warm: the per-job cgroup adds (+ cgroup - hardened): median ${ms(cg.median - hd.median)}, p95 ${ms(cg.p95 - hd.p95)}\n`);
  process.stdout.write("  warm: CPU per job (wrapper + job + its warm-up, user + system, mean; the spawn server's part included) / the runner's own:\n");
  for (const [name] of rows) process.stdout.write(`    ${name.padEnd(42)} ${ms(perJob(cpu, name))} / ${ms(perJob(own, name))}\n`);
  const c = row(cold);
  const pc = row(plainCold);
  if (c && hd) process.stdout.write(`  warm vs cold, hardened: median ${ms(hd.median - c.median)}, p95 ${ms(hd.p95 - c.p95)}\n`);
  if (c && pc) process.stdout.write(`  both cold: hardening adds (hardened - helper): median ${ms(c.median - pc.median)}, p95 ${ms(c.p95 - pc.p95)}\n`);
  if (c && pc) process.stdout.write(`  both cold: CPU, hardening adds: ${ms(perJob(cpu, cold) - perJob(cpu, plainCold))}\n`);
  process.stdout.write(`  warm: hardening adds in CPU (hardened - helper): ${ms(perJob(cpu, hardened) - perJob(cpu, helper))}\n`);
}
