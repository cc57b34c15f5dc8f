/**
 * Cost of confinement: `ping -n -c1 127.0.0.1` started bare vs through each sandbox this host supports,
 * through runSandboxed itself, variants interleaved run by run so drift (CPU frequency, other load) hits
 * all alike. No assertions; prints median and p95 per variant and the median overhead over bare.
 * The util-linux chain costs three extra execs of dynamically linked programs (~0.6 ms each here); the
 * static helper (runner/src/sandbox/native) does the same work in one. The hardened helper adds the identity drop,
 * seccomp, the private read-only filesystem and the exec restriction (docs/security.md, "Sandbox"), measured together
 * and part by part; the line "hardening adds" is hardened minus today's helper (target: at most 0.5 ms at the median).
 * The per-job cgroup is measured apart ("+ cgroup"). Last, the same hardening step by step, timed inside the job
 * (bench/sandbox-parts.ts), with what the job's exit costs.
 * Wall time suffers from every other process on a busy host; the CPU the wrapper and the job used (user + system,
 * summed over the runs) much less, so it is printed too, as a mean per job: the steadier figure for small differences.
 * With the helper the jobs are the spawn server's children, so its CPU is counted with theirs; the runner's own CPU per
 * job (this process: the spawn path, a job cgroup made and removed) is printed apart.
 * Every job of that pass is served cold; then the runner's own configuration, where the spawn server prepares each
 * profile's next job process ahead (warm job processes, bench/sandbox-warm.ts): plain vs hardened helper again.
 * Loopback only. Run alone with `npx tsx bench/sandbox.ts` (RUNS=… to change the count; SANDBOX_PASS=warm: that pass alone).
 */
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { probeSandbox } from '../runner/src/sandbox/capabilities';
import { buildHelper, removeTempDirs } from '../runner/src/sandbox/testing';
import { setWarmJobsEnabled } from '../runner/src/sandbox/warm-pool';
import { describeSandbox, type Hardening, type Sandbox } from '../runner/src/sandbox/wrapper';
import { benchCgroupJoin } from './cgroup-join';
import { benchSandboxParts } from './sandbox-parts';
import { measureVariants, PING } from './sandbox-measure';
import { benchWarmPool } from './sandbox-warm';
import { ms, printTable, type Summary, summarize } from './stats';

const WARMUP = 10;
const HARDENED = 'helper hardened (all four)';
const WITH_CGROUP = 'helper hardened + cgroup';
const IDENTITY = { uid: 65534, gid: 65534 };
const ALL: Hardening = { identity: IDENTITY, seccomp: true, filesystem: { tmpMb: 64, hide: [] }, exec: true };
const HARDENING: Readonly<Record<string, Hardening>> = {
  [HARDENED]: ALL,
  'helper + identity only': { identity: IDENTITY },
  'helper + seccomp only': { seccomp: true },
  'helper + filesystem only': { filesystem: { tmpMb: 64, hide: [] } },
  'helper + exec restriction only': { exec: true },
};

/** Every confinement this host supports, best first after bare; the helper is built when gcc is there. */
async function variants(): Promise<Map<string, Sandbox | undefined>> {
  const list = new Map<string, Sandbox | undefined>([['bare (process group only)', undefined]]);
  const util = (await probeSandbox()).sandbox;
  if (util.mode === 'util-linux') list.set(`util-linux chain${util.pidNamespace ? '' : ' (no unshare)'}`, util);
  const noNs = (await probeSandbox({ pidNamespace: false })).sandbox;
  if (noNs.mode === 'util-linux' && util.pidNamespace) list.set('util-linux without unshare', noNs);
  const helperPath = process.env['NETDIAG_SANDBOX_HELPER'] ?? (await buildHelper().catch(() => undefined));
  if (helperPath) {
    const helper = (await probeSandbox({ helperPath })).sandbox;
    if (helper.mode === 'helper') list.set(`helper${helper.pidNamespace ? ' (PID namespace)' : ''}`, helper);
    const helperNoNs = (await probeSandbox({ helperPath, pidNamespace: false })).sandbox;
    if (helperNoNs.mode === 'helper' && helper.pidNamespace) list.set('helper without PID namespace', helperNoNs);
    for (const [name, hardening] of Object.entries(HARDENING)) {
      const hardened = (await probeSandbox({ helperPath, hardening })).sandbox;
      if (hardened.hardening) list.set(name, hardened);
    }
    const withCgroup = (await probeSandbox({ helperPath, hardening: ALL, cgroups: true })).sandbox;
    if (withCgroup.hardening?.cgroup) list.set(WITH_CGROUP, withCgroup);
  }
  const utilId = (await probeSandbox({ hardening: { identity: ALL.identity } })).sandbox;
  if (utilId.hardening?.identity) list.set('util-linux chain + setpriv identity', utilId);
  return list;
}

export async function benchSandbox(): Promise<void> {
  if (!existsSync(PING)) {
    process.stdout.write(`sandbox bench skipped: ${PING} not installed\n`);
    return;
  }
  const rounds = Number(process.env['RUNS'] ?? 200);
  const list = await variants();
  // This pass: every job served cold (each variant is its own profile; a warm pool of a few would thrash). The runner's
  // own configuration, with warm job processes, is measured after it (bench/sandbox-warm.ts).
  setWarmJobsEnabled(false);
  try {
    if (process.env['SANDBOX_PASS'] !== 'warm') await coldPass(list, rounds); // SANDBOX_PASS=warm: the pass below alone
    // The runner's configuration: the spawn server with warm job processes, plain helper vs hardened, alternating.
    const warmVariants = [...list.keys()].filter((name) => name.startsWith('helper (PID') || name === HARDENED || name === WITH_CGROUP);
    await benchWarmPool(list, rounds, WARMUP, warmVariants);
  } finally {
    setWarmJobsEnabled(true);
    removeTempDirs(); // the helper built for this run
  }
  if (process.env['SANDBOX_PASS'] !== 'warm') await benchSandboxParts(rounds); // the same hardening, step by step, in-process (bench/sandbox-parts.c)
  if (process.env['SANDBOX_PASS'] !== 'warm') await benchCgroupJoin(); // the cgroup join after a pause, which the parts (back to back) do not see
}

async function coldPass(list: ReadonlyMap<string, Sandbox | undefined>, rounds: number): Promise<void> {
  const { samples, cpu, own } = await measureVariants(list, rounds, WARMUP);
  const rows = Object.entries(samples).map(([name, xs]): [string, Summary] => [name, summarize(xs)]);
  printTable(`sandbox: ping -n -c1 127.0.0.1 via runSandboxed, bare vs wrapped, every job served cold (${rounds} interleaved runs each)`, rows);
  const bare = rows[0]?.[1].median ?? Number.NaN;
  for (const [name, s] of rows.slice(1)) process.stdout.write(`  overhead at the median, ${name.padEnd(30)} ${ms(s.median - bare)}\n`);
  const helper = rows.find(([name]) => name.startsWith('helper (PID'))?.[1];
  const hardened = rows.find(([name]) => name === HARDENED)?.[1];
  if (helper && hardened) {
    process.stdout.write(`  hardening adds (hardened - helper): median ${ms(hardened.median - helper.median)}, p95 ${ms(hardened.p95 - helper.p95)}\n`);
  }
  const cgroup = rows.find(([name]) => name === WITH_CGROUP)?.[1];
  if (hardened && cgroup) {
    process.stdout.write(
      `  the per-job cgroup adds (+ cgroup - hardened): median ${ms(cgroup.median - hardened.median)}, p95 ${ms(cgroup.p95 - hardened.p95)}\n`,
    );
  }
  process.stdout.write("  CPU per job (wrapper + job, user + system, mean; with the helper, the spawn server's part included):\n");
  for (const [name] of rows) process.stdout.write(`    ${name.padEnd(42)} ${ms((cpu.get(name) ?? 0) / rounds)}\n`);
  const cpuOf = (name: string | undefined): number => (name === undefined ? Number.NaN : (cpu.get(name) ?? 0) / rounds);
  const helperName = rows.find(([name]) => name.startsWith('helper (PID'))?.[0];
  process.stdout.write(`  hardening adds in CPU (hardened - helper): ${ms(cpuOf(HARDENED) - cpuOf(helperName))}\n`);
  process.stdout.write("  the runner's own CPU per job (this process: spawn path, cgroup made and removed; mean):\n");
  for (const [name] of rows) process.stdout.write(`    ${name.padEnd(42)} ${ms((own.get(name) ?? 0) / rounds)}\n`);
  const util = list.get('util-linux chain');
  if (util) process.stdout.write(`  active util-linux mode: ${describeSandbox(util)}\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  benchSandbox().catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  });
}
