/** Small helpers for benchmark figures: no assertions, just numbers. */
import { readFileSync } from 'node:fs';

/** Fields of /proc/<pid>/stat from field 3 (state) on, so utime is [11]; empty when the process is gone. */
export function statFields(pid: number | 'self' | null | undefined): string[] {
  if (pid === undefined || pid === null) return [];
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return [];
  }
}

/** utime + stime of a process from /proc in seconds (clock ticks, 100 per second on Linux); 0 when it is gone. */
export function cpuOf(pid: number | null | undefined): number {
  const fields = statFields(pid);
  return fields.length > 12 ? (Number(fields[11]) + Number(fields[12])) / 100 : 0;
}

/** Its own CPU plus that of the children it reaped (cutime + cstime), in ms; 0 when it is gone. */
export function cpuWithReapedMs(pid: number | 'self' | null | undefined): number {
  const f = statFields(pid);
  return f.length > 14 ? (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) * 10 : 0;
}

export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i] ?? Number.NaN;
}

export interface Summary {
  n: number;
  median: number;
  p95: number;
  mean: number;
}

export function summarize(samples: readonly number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  return { n: sorted.length, median: quantile(sorted, 0.5), p95: quantile(sorted, 0.95), mean: sorted.reduce((a, b) => a + b, 0) / Math.max(1, sorted.length) };
}

export const ms = (v: number): string => `${v.toFixed(3)} ms`;

export function printTable(title: string, rows: Array<[string, Summary]>): void {
  process.stdout.write(`\n${title}\n`);
  for (const [name, s] of rows) process.stdout.write(`  ${name.padEnd(44)} median ${ms(s.median).padStart(11)}   p95 ${ms(s.p95).padStart(11)}   (n=${s.n})\n`);
}

/** A copy of `items` in a uniformly random order (Fisher–Yates). */
export function shuffled<T>(items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i -= 1) {
    const j = Math.floor(Math.random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/** Run `fns` in turn, `rounds` times, so drift in machine load hits all of them alike. */
export async function alternate(rounds: number, fns: Record<string, () => Promise<unknown>>): Promise<Record<string, number[]>> {
  const out: Record<string, number[]> = Object.fromEntries(Object.keys(fns).map((k) => [k, []]));
  for (let i = 0; i < rounds; i += 1) {
    for (const [name, fn] of Object.entries(fns)) {
      const t0 = performance.now();
      await fn();
      out[name]?.push(performance.now() - t0);
    }
  }
  return out;
}
