/**
 * Builds the argv that confines one job: rlimits, parent-death signal and a PID namespace, in front of
 * the tool's own absolute path. Pure: what this host supports was decided once by probeSandbox().
 */
import { checkLimits, type ProcessLimits } from './limits';

/**
 * - helper: the compiled netdiag-sandbox does everything in one exec (fastest; optional install).
 * - util-linux: prlimit → setpriv --pdeathsig KILL → unshare --pid --fork --kill-child, each only if it works here.
 * - process-group: no wrapper at all; only the detached process group and the deadline kill remain.
 */
import type { SandboxMode } from '../../../functions/shared/tool/executor';

export type { SandboxMode };

/** What confinement this host gives a job; probed once at start-up, then read-only. */
export interface Sandbox {
  readonly mode: SandboxMode;
  /** rlimits (CPU, address space, open files, core 0) are applied. */
  readonly rlimits: boolean;
  /**
   * The job gets SIGKILL when the runner dies (PR_SET_PDEATHSIG). The kernel ties it to the *thread* that
   * forked: spawn from the main thread (a worker thread's exit would kill its jobs). It is cleared when a
   * non-root runner execs a binary with file capabilities (ping, mtr-packet): as root it holds.
   */
  readonly parentDeathSignal: boolean;
  /** The job runs as init of its own PID namespace: nothing it starts outlives it, setsid or not. */
  readonly pidNamespace: boolean;
  /** Absolute paths, resolved once; only those the mode uses are set. */
  readonly paths: Readonly<{ helper?: string; prlimit?: string; setpriv?: string; unshare?: string }>;
}

export interface Command {
  file: string;
  args: string[];
}

/** No confinement beyond the process group (tests, or a host without util-linux). */
export const PROCESS_GROUP_ONLY: Sandbox = Object.freeze({
  mode: 'process-group',
  rlimits: false,
  parentDeathSignal: false,
  pidNamespace: false,
  paths: Object.freeze({}),
});

const MIB = 1_048_576;

function helperCommand(helper: string, sb: Sandbox, l: ProcessLimits, cmd: Command, parentPid: number): Command {
  const args = ['--as', String(l.memoryMb * MIB), '--nofile', String(l.maxFds), '--cpu', String(l.cpuSec), '--ppid', String(parentPid)];
  if (sb.pidNamespace) args.push('--pidns');
  return { file: helper, args: [...args, '--', cmd.file, ...cmd.args] };
}

function utilLinuxCommand(sb: Sandbox, l: ProcessLimits, cmd: Command): Command {
  // Innermost first; each stage execs the next, so options of one never reach another ("--" ends each).
  let argv = [cmd.file, ...cmd.args];
  if (sb.pidNamespace && sb.paths.unshare) argv = [sb.paths.unshare, '--pid', '--fork', '--kill-child', '--', ...argv];
  // The parent-death signal goes on unshare (it survives exec); unshare re-arms it on the job with --kill-child.
  if (sb.parentDeathSignal && sb.paths.setpriv) argv = [sb.paths.setpriv, '--pdeathsig', 'KILL', '--', ...argv];
  if (sb.rlimits && sb.paths.prlimit) {
    // One value sets soft and hard alike, so the job cannot raise its own limits again.
    argv = [sb.paths.prlimit, `--cpu=${l.cpuSec}`, `--as=${l.memoryMb * MIB}`, `--nofile=${l.maxFds}`, '--core=0', '--', ...argv];
  }
  const [file = cmd.file, ...args] = argv;
  return { file, args };
}

/** The command that runs `cmd` under `limits` in this sandbox. `parentPid` is the runner (the helper checks it). */
export function wrapCommand(sb: Sandbox, limits: ProcessLimits, cmd: Command, parentPid: number = process.pid): Command {
  if (!cmd.file.startsWith('/')) throw new Error(`binary path must be absolute: ${cmd.file}`);
  checkLimits(limits);
  if (sb.mode === 'helper' && sb.paths.helper) return helperCommand(sb.paths.helper, sb, limits, cmd, parentPid);
  if (sb.mode === 'util-linux') return utilLinuxCommand(sb, limits, cmd);
  return { file: cmd.file, args: [...cmd.args] };
}

/** One line for the start-up log. */
export function describeSandbox(sb: Sandbox): string {
  const parts = [
    sb.rlimits ? 'rlimits' : 'NO rlimits',
    sb.parentDeathSignal ? 'pdeathsig' : 'NO pdeathsig',
    sb.pidNamespace ? 'pid-namespace' : 'process-group kill only (setsid escapes)',
  ];
  return `${sb.mode}: ${parts.join(', ')}`;
}
