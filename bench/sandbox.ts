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
 * Loopback only. Run alone with `npx tsx bench/sandbox.ts` (RUNS=… to change the count).
 */
import { existsSync, readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { probeSandbox } from '../runner/src/sandbox/capabilities';
import type { ProcessLimits } from '../runner/src/sandbox/limits';
import { runSandboxed } from '../runner/src/sandbox/spawn';
import { buildHelper, removeTempDirs } from '../runner/src/sandbox/testing';
import { childrenOf } from '../test/helpers/proc-watch';
import { describeSandbox, type Hardening, type Sandbox } from '../runner/src/sandbox/wrapper';
import { benchSandboxParts } from './sandbox-parts';
import { alternate, cpuWithReapedMs, ms, printTable, statFields, type Summary, summarize } from './stats';

const PING = '/usr/bin/ping';
const ARGS = ['-n', '-c1', '127.0.0.1'];
const LIMITS: ProcessLimits = { cpuSec: 10, memoryMb: 512, maxFds: 256 };
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

async function once(sandbox: Sandbox | undefined): Promise<void> {
  const r = await runSandboxed({
    file: PING,
    args: ARGS,
    timeoutMs: 5000,
    maxStdoutBytes: 65_536,
    maxStderrBytes: 65_536,
    // ping needs its raw socket; in the unhardened variants the job is root anyway.
    confine: sandbox ? { sandbox, limits: LIMITS, netRaw: true } : undefined,
  });
  if (r.exitCode !== 0) throw new Error(`ping failed (${sandbox?.mode ?? 'bare'}): ${r.spawnError ?? r.stderr}`);
}

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

/** Our live spawn servers (`netdiag-sandbox --serve`, runner/src/sandbox/spawn-server.ts): the helper jobs are theirs. */
function spawnServers(): number[] {
  // Without CONFIG_PROC_CHILDREN this is empty: the helper variants' CPU then reads low.
  return childrenOf(process.pid).filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('--serve');
    } catch {
      return false;
    }
  });
}

/** Until every spawn server has reaped its jobs' first processes (whose CPU lands in the server's cutime then); 200 ms at most. */
async function reapedByServers(): Promise<void> {
  for (let i = 0; i < 200 && spawnServers().some((pid) => childrenOf(pid).length > 0); i++) await new Promise((resolve) => setTimeout(resolve, 1));
}

/**
 * CPU (ms, user + system) of this process's reaped children so far (cutime + cstime of /proc/self/stat, in 1/100 s),
 * plus each spawn server's own and that of the jobs it reaped: in helper mode the jobs are the server's children.
 */
function childCpuMs(): number {
  const self = statFields('self');
  return (Number(self[13]) + Number(self[14])) * 10 + spawnServers().reduce((sum, pid) => sum + cpuWithReapedMs(pid), 0);
}

export async function benchSandbox(): Promise<void> {
  if (!existsSync(PING)) {
    process.stdout.write(`sandbox bench skipped: ${PING} not installed\n`);
    return;
  }
  const rounds = Number(process.env['RUNS'] ?? 200);
  const list = await variants();
  const cpu = new Map<string, number>();
  const own = new Map<string, number>(); // this process's CPU (µs precision): the runner's side of each job
  let counting = false;
  const timed = async (name: string, sb: Sandbox | undefined): Promise<void> => {
    const before = childCpuMs();
    const ownBefore = process.cpuUsage();
    await once(sb);
    await new Promise<void>((resolve) => setImmediate(resolve)); // the job's clean-up (its cgroup's removal) counts here
    await reapedByServers(); // a served job is answered before its first process is reaped (early-status.h): its CPU counts here
    const ownUsed = process.cpuUsage(ownBefore);
    if (!counting) return;
    cpu.set(name, (cpu.get(name) ?? 0) + childCpuMs() - before);
    own.set(name, (own.get(name) ?? 0) + (ownUsed.user + ownUsed.system) / 1000);
  };
  const fns = Object.fromEntries([...list].map(([name, sb]) => [name, () => timed(name, sb)]));
  let samples: Record<string, number[]>;
  try {
    await alternate(WARMUP, fns);
    counting = true;
    samples = await alternate(rounds, fns);
  } finally {
    removeTempDirs(); // the helper built for this run
  }
  const rows = Object.entries(samples).map(([name, xs]): [string, Summary] => [name, summarize(xs)]);
  printTable(`sandbox: ping -n -c1 127.0.0.1 via runSandboxed, bare vs wrapped (${rounds} interleaved runs each)`, rows);
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
  await benchSandboxParts(rounds); // the same hardening, step by step, in-process (bench/sandbox-parts.c)
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  benchSandbox().catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  });
}
