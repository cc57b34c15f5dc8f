/**
 * How the runner stops a job it spawned (docs/security.md, "Sandbox"). The rule: kill the job, never the process
 * that must reap it. When a wrapper stays the job's parent (the helper or `unshare --fork` as PID-namespace parent),
 * SIGKILL to the whole group would kill the wrapper together with the job, and the job would be left a zombie for
 * whoever adopts it (the host's PID 1, possibly never). So:
 *
 * - helper with a PID namespace: SIGUSR1 to the helper, which SIGKILLs the job (the namespace dies with it), reaps it
 *   and exits with its signal (runner/src/sandbox/native/netdiag-sandbox.c).
 * - util-linux with a PID namespace: SIGKILL to unshare's children (the namespace init) found in /proc; unshare reaps
 *   it and exits with the same signal. Linux hands out pids in sequence, so the pid read a moment earlier from our own
 *   live child's list cannot have been reused in between.
 * - otherwise the job is our own child (or group leader): SIGKILL to the group, and Node reaps it.
 *
 * If the wrapper has not exited FALLBACK_MS after being asked, the group gets SIGKILL anyway: never hang.
 */
import { readFileSync } from 'node:fs';
import type { JobChild } from './served-job';
import type { Sandbox } from './wrapper';

const FALLBACK_MS = 1000;

export class JobKiller {
  private fallback: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly child: Pick<JobChild, 'pid' | 'exitCode' | 'signalCode' | 'kill' | 'signalGroup'>,
    private readonly sandbox: Sandbox | undefined,
  ) {}

  /** Whether a wrapper between us and the job stays alive to reap it. */
  get wrapperReaps(): boolean {
    return this.sandbox?.pidNamespace === true && (this.sandbox.mode === 'helper' || this.sandbox.mode === 'util-linux');
  }

  private get alive(): boolean {
    // A job of the spawn server may not have told its pid yet: the server knows it by id (served-job.ts).
    const known = this.child.pid !== undefined || this.child.signalGroup !== undefined;
    return known && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** A signal to every member of the job's process group (SIGTERM at the deadline, before the grace). */
  signalGroup(sig: NodeJS.Signals): void {
    // Through the spawn server when it reaps the job: it drops the signal once the pid is no longer its own.
    if (this.child.signalGroup) return this.child.signalGroup(sig);
    if (this.child.pid === undefined) return;
    try {
      process.kill(-this.child.pid, sig);
    } catch {
      // group already gone
    }
  }

  /** End the job now, through the wrapper that reaps it where there is one. */
  kill(): void {
    if (!this.alive) return this.signalGroup('SIGKILL');
    if (!this.wrapperReaps) return this.signalGroup('SIGKILL');
    if (this.sandbox?.mode === 'helper') this.child.kill('SIGUSR1');
    else this.killChildrenOf(this.child.pid as number);
    this.fallback ??= setTimeout(() => this.signalGroup('SIGKILL'), FALLBACK_MS);
  }

  /** The wrapper is gone: stop the fallback. */
  dispose(): void {
    clearTimeout(this.fallback);
  }

  private killChildrenOf(pid: number): void {
    let children: number[] = [];
    try {
      children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
    } catch {
      // no /proc children list on this kernel: the fallback kills the group
    }
    for (const c of children) {
      try {
        process.kill(c, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
}
