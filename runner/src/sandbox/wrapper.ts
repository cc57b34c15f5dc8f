/**
 * Builds the argv that confines one job: rlimits, parent-death signal and a PID namespace, in front of
 * the tool's own absolute path. Pure: what this host supports was decided once by probeSandbox().
 */
import type { CgroupLayout } from './cgroup';
import { checkLimits, type ProcessLimits } from './limits';

/**
 * - helper: the compiled netdiag-sandbox does everything in one exec (fastest; optional install).
 * - util-linux: prlimit → setpriv --pdeathsig KILL → unshare --pid --fork --kill-child, each only if it works here.
 * - process-group: no wrapper at all; only the detached process group and the deadline kill remain.
 */
import type { SandboxMode, SandboxProtection } from '../../../functions/shared/tool/executor';

export { SANDBOX_PROTECTIONS } from '../../../functions/shared/tool/executor';
export type { SandboxMode, SandboxProtection };

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
  /** What else the job gets (docs/security.md, "Sandbox"); each part only where the probe saw it work. */
  readonly hardening?: Hardening | undefined;
  /** Absolute paths, resolved once; only those the mode uses are set. */
  readonly paths: Readonly<{ helper?: string; prlimit?: string; setpriv?: string; unshare?: string }>;
}

/** Beyond rlimits and namespaces: who the job runs as, its syscalls and its view of the filesystem. */
export interface Hardening {
  /** Unprivileged uid/gid, groups cleared, no capability (CAP_NET_RAW only when the tool needs it), no_new_privs. */
  identity?: Readonly<{ uid: number; gid: number }> | undefined;
  /** The syscall deny-list (helper only). */
  seccomp?: boolean | undefined;
  /** Private mount namespace: read-only root, a fresh tmpfs /tmp of tmpMb MiB, `hide` covered (helper only). */
  filesystem?: Readonly<{ tmpMb: number; hide: readonly string[] }> | undefined;
  /** Per-job cgroups below the runner's own (pids.max, memory limit), created and removed by spawn.ts (helper only). */
  cgroup?: CgroupLayout | undefined;
  /** Landlock: the job may execute only its own binary and the programs its tool declares (`execs`) (helper only). */
  exec?: boolean | undefined;
}

export interface Command {
  file: string;
  args: string[];
  /** The job keeps CAP_NET_RAW (its tool definition says this call needs a raw socket); otherwise it has no capability. */
  netRaw?: boolean | undefined;
  /** The job cgroup directories spawn.ts created for this job (cgroup.ts); the helper moves the job in. */
  cgroups?: readonly string[] | undefined;
  /** Absolute paths of the other programs the job may execute (its tool's `policy.execs`, resolved at start-up). */
  execs?: readonly string[] | undefined;
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
  const h = sb.hardening;
  for (const dir of h?.cgroup ? (cmd.cgroups ?? []) : []) args.push('--cgroup', dir);
  if (h?.filesystem) {
    args.push('--fs-tmp-mb', String(h.filesystem.tmpMb));
    for (const path of h.filesystem.hide) args.push('--hide', path);
  }
  if (h?.identity) args.push('--uid', String(h.identity.uid), '--gid', String(h.identity.gid), ...(cmd.netRaw ? ['--netraw'] : []));
  if (h?.exec) args.push('--exec-only', ...(cmd.execs ?? []).flatMap((path) => ['--allow-exec', path]));
  if (h?.seccomp) args.push('--seccomp');
  return { file: helper, args: [...args, '--', cmd.file, ...cmd.args] };
}

function utilLinuxCommand(sb: Sandbox, l: ProcessLimits, cmd: Command): Command {
  // Innermost first; each stage execs the next, so options of one never reach another ("--" ends each).
  let argv = [cmd.file, ...cmd.args];
  // Innermost, so unshare above still has the privileges it needs; ambient caps carry CAP_NET_RAW across the exec.
  const id = sb.hardening?.identity;
  if (id && sb.paths.setpriv) {
    const caps = cmd.netRaw ? '-all,+net_raw' : '-all';
    argv = [sb.paths.setpriv, `--reuid=${id.uid}`, `--regid=${id.gid}`, '--clear-groups', `--inh-caps=${caps}`, `--ambient-caps=${caps}`];
    // Changing the uid clears the parent-death signal unshare armed: setpriv arms it again after the change.
    const pdeath = sb.parentDeathSignal ? ['--pdeathsig', 'KILL'] : [];
    argv.push(`--bounding-set=${caps}`, '--no-new-privs', ...pdeath, '--', cmd.file, ...cmd.args);
  }
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

/** The protections a job gets here, by the names NETDIAG_SANDBOX_REQUIRE uses (docs/security.md, "Sandbox"). */
export function activeProtections(sb: Sandbox): SandboxProtection[] {
  const on: Array<[SandboxProtection, boolean]> = [
    ['rlimits', sb.rlimits],
    ['pdeathsig', sb.parentDeathSignal],
    ['pidns', sb.pidNamespace],
    ['identity', sb.hardening?.identity !== undefined],
    ['seccomp', sb.hardening?.seccomp === true],
    ['filesystem', sb.hardening?.filesystem !== undefined],
    ['cgroup', sb.hardening?.cgroup !== undefined],
    ['exec', sb.hardening?.exec === true],
  ];
  return on.filter(([, active]) => active).map(([name]) => name);
}

/** One line for the start-up log. */
export function describeSandbox(sb: Sandbox): string {
  const parts = [
    sb.rlimits ? 'rlimits' : 'NO rlimits',
    sb.parentDeathSignal ? 'pdeathsig' : 'NO pdeathsig',
    sb.pidNamespace ? 'pid-namespace' : 'process-group kill only (setsid escapes)',
  ];
  // Without hardening the start-up log still says so: main.ts logs activeProtections() and every probe note.
  const h = sb.hardening;
  if (h) {
    parts.push(h.identity ? `uid ${h.identity.uid}, no capabilities but CAP_NET_RAW where declared, no_new_privs` : 'NO identity drop');
    parts.push(h.seccomp ? 'seccomp' : 'NO seccomp', h.filesystem ? 'read-only filesystem, private /tmp' : 'NO private filesystem view');
    parts.push(h.cgroup ? `cgroup v${h.cgroup.version} per job` : 'NO per-job cgroup (rlimits only)');
    parts.push(h.exec ? 'exec only of its own and declared programs' : 'NO exec restriction');
  }
  return `${sb.mode}: ${parts.join(', ')}`;
}
