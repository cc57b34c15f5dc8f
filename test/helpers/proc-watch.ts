// Watching a job's processes through /proc, zombies included: a zombie keeps its /proc/<pid> entry (state Z) but
// has an empty cmdline, so "gone" is judged by the pids seen while the job ran, not by matching command lines.
import { readdirSync, readFileSync } from 'node:fs';

export interface ProcInfo {
  pid: number;
  argv: string[];
}

/** The pids of `pid`'s children (its main thread's), [] once it is gone. */
export function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** Live processes whose command line satisfies `match` (wrappers such as the sandbox helper included). */
export function findProcesses(match: (argv: string[]) => boolean): ProcInfo[] {
  const found: ProcInfo[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let argv: string[];
    try {
      argv = readFileSync(`/proc/${entry}/cmdline`, 'utf8')
        .split('\0')
        .filter((a) => a.length > 0);
    } catch {
      continue;
    }
    if (argv.length > 0 && match(argv)) found.push({ pid: Number(entry), argv });
  }
  return found;
}

/** Processes of a job that ran `binary` (ping, nmap, …) against `address`, with any wrapper around it. */
export function jobProcesses(binary: string, address: string): ProcInfo[] {
  const name = new RegExp(`(^|/)${binary}$`);
  return findProcesses((argv) => argv.includes(address) && argv.some((a) => name.test(a)));
}

/** The state letter of `pid` (R, S, Z, …), or undefined once the pid is gone (reaped). */
export function procState(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may hold spaces: the state follows the last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) || undefined;
  } catch {
    return undefined;
  }
}

/** Pids from `pids` that still exist, zombies included. */
export function remaining(pids: readonly number[]): Array<{ pid: number; state: string }> {
  return pids.flatMap((pid) => {
    const state = procState(pid);
    return state === undefined ? [] : [{ pid, state }];
  });
}

/**
 * Poll until none of `pids` exists (reaped, not just killed) or `timeoutMs` passes. Returns the time it took from
 * `since` (performance.now() of the triggering action), what is left, and whether a zombie was seen on the way.
 */
export async function waitGone(
  pids: readonly number[],
  since: number,
  timeoutMs: number,
  pollMs = 1,
): Promise<{ goneAfterMs: number | undefined; left: Array<{ pid: number; state: string }>; sawZombie: boolean }> {
  const until = since + timeoutMs;
  let sawZombie = false;
  for (;;) {
    const left = remaining(pids);
    if (left.some((p) => p.state === 'Z')) sawZombie = true;
    if (left.length === 0) return { goneAfterMs: performance.now() - since, left, sawZombie };
    if (performance.now() > until) return { goneAfterMs: undefined, left, sawZombie };
    await new Promise((r) => setTimeout(r, pollMs));
  }
}
