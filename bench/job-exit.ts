/**
 * From a job's last instant to runSandboxed's answer, through the spawn server (docs/design.md, "The resident spawn
 * server", exit status first): the job is `date +%s.%N`, its clock read is its last act, so "job's clock → answer" is
 * its exit, the status and the end of its output reaching the runner. With the filesystem view the job has its own
 * mount namespace, whose teardown (an RCU grace period) the job's first process takes into its own exit, after telling
 * the status (native/early-status.h): the line "the filesystem view adds at exit" should be close to zero; it was
 * ≈ 0.3 ms at the median (several ms at p95) when the job's exit tore the namespace down (docs/security.md, "Sandbox").
 * Variants alternate job by job. CPU per job: the server's own plus its reaped children's (/proc, 10 ms ticks, summed).
 * Root only (the filesystem view). NETDIAG_SANDBOX_HELPER=<path> measures another build of the helper. No network.
 * Alone: `npx tsx bench/job-exit.ts` (RUNS=… to change the count).
 */
import { pathToFileURL } from 'node:url';
import { probeSandbox } from '../runner/src/sandbox/capabilities';
import { spawnServerFor, stopSpawnServers } from '../runner/src/sandbox/spawn-server';
import { buildHelper, removeTempDirs } from '../runner/src/sandbox/testing';
import type { Hardening, Sandbox } from '../runner/src/sandbox/wrapper';
import { runDateJob } from './date-job';
import { cpuWithReapedMs, ms, printTable, type Summary, summarize } from './stats';

const FS: Hardening = { filesystem: { tmpMb: 64, hide: [] } };
const ALL: Hardening = { identity: { uid: 65534, gid: 65534 }, seccomp: true, exec: true, ...FS };

export async function benchJobExit(runs = Number(process.env['RUNS'] ?? 200)): Promise<void> {
  if (process.getuid?.() !== 0) return void process.stdout.write('\njob exit: needs root (the filesystem view), skipped\n');
  const helperPath = process.env['NETDIAG_SANDBOX_HELPER'] ?? (await buildHelper());
  if (!helperPath) return void process.stdout.write('\njob exit: no C compiler, skipped\n');
  const variants = new Map<string, Sandbox>([['helper (PID namespace)', (await probeSandbox({ helperPath })).sandbox]]);
  for (const [name, hardening] of [
    ['+ filesystem view', FS],
    ['hardened (all four)', ALL],
  ] as const) {
    const sb = (await probeSandbox({ helperPath, hardening })).sandbox;
    if (sb.hardening?.filesystem) variants.set(name, sb);
  }
  const server = await spawnServerFor(helperPath);
  const tail = new Map<string, number[]>([...variants.keys()].map((name) => [name, []]));
  const cpu = new Map<string, number>();
  const once = async (name: string, keep: boolean): Promise<void> => {
    const cpu0 = cpuWithReapedMs(server?.pid);
    const r = await runDateJob(variants.get(name) as Sandbox);
    const answered = performance.timeOrigin + performance.now();
    if (r.exitCode !== 0) throw new Error(`${name}: ${r.spawnError ?? r.stderr}`);
    await new Promise<void>((resolve) => setTimeout(resolve, 1)); // the job's first process exits (and is reaped) here
    if (!keep) return;
    tail.get(name)?.push(answered - Number(r.stdout.trim()) * 1000);
    cpu.set(name, (cpu.get(name) ?? 0) + cpuWithReapedMs(server?.pid) - cpu0);
  };
  const names = [...variants.keys()];
  try {
    for (let i = 0; i < 20; i++) for (const name of names) await once(name, false);
    for (let i = 0; i < runs; i++) for (const name of i % 2 ? [...names].reverse() : names) await once(name, true);
  } finally {
    stopSpawnServers();
    removeTempDirs();
  }
  const rows = names.map((name): [string, Summary] => [`${name}: job's clock → answer`, summarize(tail.get(name) ?? [])]);
  printTable(`job exit → answer through the spawn server (${runs} alternating runs each)`, rows);
  const [plain, fs] = [rows[0]?.[1], rows[1]?.[1]];
  if (plain && fs) process.stdout.write(`  the filesystem view adds at exit: median ${ms(fs.median - plain.median)}, p95 ${ms(fs.p95 - plain.p95)}\n`);
  process.stdout.write('  CPU per job (server + its reaped children, mean, /proc ticks):\n');
  for (const name of names) process.stdout.write(`    ${name.padEnd(28)} ${ms((cpu.get(name) ?? 0) / runs)}\n`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await benchJobExit();
