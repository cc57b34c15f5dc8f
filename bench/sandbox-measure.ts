/**
 * How bench/sandbox.ts and bench/sandbox-warm.ts time one confinement: `ping -n -c1 127.0.0.1` through runSandboxed,
 * the variants interleaved run by run (drift hits all alike), with the CPU the wrapper and the job used (their reaped
 * children's user + system; with the helper, the spawn server's own and that of the jobs it reaped) and this process's
 * own CPU per job (the runner's side: spawn path, job cgroup made and removed). Loopback only.
 */
import { readFileSync } from 'node:fs';
import type { ProcessLimits } from '../runner/src/sandbox/limits';
import { runSandboxed } from '../runner/src/sandbox/spawn';
import { childrenOf } from '../test/helpers/proc-watch';
import { warmJobCount } from '../runner/src/sandbox/warm-pool';
import type { Sandbox } from '../runner/src/sandbox/wrapper';
import { alternate, cpuWithReapedMs, statFields } from './stats';

export const PING = '/usr/bin/ping';
const ARGS = ['-n', '-c1', '127.0.0.1'];
const LIMITS: ProcessLimits = { cpuSec: 10, memoryMb: 512, maxFds: 256 };

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

/**
 * Until every spawn server has reaped its jobs' first processes (whose CPU lands in the server's cutime then); 200 ms at
 * most. A child that has a child of its own is a warm process waiting for its job (runner/src/sandbox/warm-pool.ts).
 */
async function reapedByServers(): Promise<void> {
  const done = (): boolean => spawnServers().every((pid) => childrenOf(pid).every((first) => childrenOf(first).length > 0));
  for (let i = 0; i < 200 && !done(); i++) await new Promise((resolve) => setTimeout(resolve, 1));
}

/** Until every warm process the runner keeps (warm-pool.ts) waits in poll() for its job, hardened (native/warm.h). */
async function warmReady(): Promise<void> {
  const waiting = (pid: number): boolean => {
    try {
      return ['7', '271'].includes(readFileSync(`/proc/${pid}/syscall`, 'utf8').split(' ')[0] ?? ''); // poll, ppoll (x86_64)
    } catch {
      return false;
    }
  };
  const ready = (): number => spawnServers().reduce((n, pid) => n + childrenOf(pid).filter((first) => childrenOf(first).some(waiting)).length, 0);
  const done = (): boolean => ready() >= warmJobCount();
  for (let i = 0; i < 200 && !done(); i++) await new Promise((resolve) => setTimeout(resolve, 1));
}

/** CPU (ms) of this process's reaped children so far (cutime + cstime, 1/100 s), plus each spawn server's own and reaped. */
function childCpuMs(): number {
  const self = statFields('self');
  return (Number(self[13]) + Number(self[14])) * 10 + spawnServers().reduce((sum, pid) => sum + cpuWithReapedMs(pid), 0);
}

export interface Measured {
  samples: Record<string, number[]>;
  /** Summed over the counted runs, ms. */
  cpu: Map<string, number>;
  own: Map<string, number>;
}

/**
 * `warmup` uncounted rounds, then `rounds` counted ones, the variants alternating; `before` runs ahead of each job. Only
 * the job is timed (runSandboxed's call to its answer); before it every spawn server has reaped the jobs before and its
 * warm processes are ready, so no other job's teardown or warm-up overlaps it.
 */
export async function measureVariants(
  list: ReadonlyMap<string, Sandbox | undefined>,
  rounds: number,
  warmup = 10,
  before: (name: string) => void = () => undefined,
): Promise<Measured> {
  const cpu = new Map<string, number>();
  const own = new Map<string, number>();
  let counting = false;
  const samples: Record<string, number[]> = Object.fromEntries([...list.keys()].map((name) => [name, []]));
  const timed = async (name: string, sb: Sandbox | undefined): Promise<void> => {
    before(name);
    await warmReady();
    const cpuBefore = childCpuMs();
    const ownBefore = process.cpuUsage();
    const t0 = performance.now();
    await once(sb);
    const took = performance.now() - t0;
    // The job's clean-up (its cgroup's removal) and the next warm process asked for count here, not the polling below.
    await new Promise<void>((resolve) => setImmediate(resolve));
    const ownUsed = process.cpuUsage(ownBefore);
    await reapedByServers(); // a served job is answered before its first process is reaped (early-status.h): its CPU counts here
    if (!counting) return;
    samples[name]?.push(took);
    cpu.set(name, (cpu.get(name) ?? 0) + childCpuMs() - cpuBefore);
    own.set(name, (own.get(name) ?? 0) + (ownUsed.user + ownUsed.system) / 1000);
  };
  const fns = Object.fromEntries([...list].map(([name, sb]) => [name, () => timed(name, sb)]));
  await alternate(warmup, fns);
  counting = true;
  await alternate(rounds, fns);
  return { samples, cpu, own };
}
