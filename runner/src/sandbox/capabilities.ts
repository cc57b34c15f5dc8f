/**
 * Decides once, at start-up, how jobs are confined on this host: each candidate is run for real and its
 * effect checked (/proc/self/limits, the NSpid line), because "the binary exists" is not "it works here"
 * (no CAP_SYS_ADMIN for a PID namespace, a seccomp profile refusing unshare, a container without util-linux).
 */
import { realpathSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { resolveBinaries } from './binaries';
import type { ProcessLimits } from './limits';
import { runSandboxed } from './spawn';
import { detectCgroups } from './cgroup';
import { probeHardening } from './probe-hardening';
import { type Hardening, PROCESS_GROUP_ONLY, type Sandbox, wrapCommand } from './wrapper';

export interface ProbeOptions {
  /** Absolute path of the compiled netdiag-sandbox helper (NETDIAG_SANDBOX_HELPER); optional. */
  helperPath?: string | undefined;
  /** Where prlimit, setpriv, unshare and cat are looked up (absolute directories). */
  searchDirs?: readonly string[] | undefined;
  /** false turns the PID namespace off even where it works (operators, fallback tests). Default true. */
  pidNamespace?: boolean | undefined;
  /** The hardening the operator wants (identity, seccomp, filesystem); each part is probed and kept only where it works. */
  hardening?: Hardening | undefined;
  /** Also give each job its own cgroup where this host lets us (cgroup.ts); needs `hardening` and the helper. */
  cgroups?: boolean | undefined;
}

export interface ProbeReport {
  sandbox: Sandbox;
  /** Why something is missing: log these as warnings. */
  notes: string[];
}

const DEFAULT_DIRS = ['/usr/bin', '/usr/sbin', '/bin', '/sbin'];
const PROBE_LIMITS: ProcessLimits = { cpuSec: 5, memoryMb: 256, maxFds: 64 };
const PROBE_TIMEOUT_MS = 5000;

async function runs(file: string, args: string[]): Promise<{ ok: boolean; stdout: string; why: string }> {
  const r = await runSandboxed({ file, args, timeoutMs: PROBE_TIMEOUT_MS, maxStdoutBytes: 65_536, maxStderrBytes: 4096 });
  const why = r.spawnError ?? (r.stderr.trim().split('\n')[0] || `exit ${String(r.exitCode ?? r.signal)}`);
  return { ok: r.exitCode === 0, stdout: r.stdout, why };
}

/** Run `cat /proc/self/limits /proc/self/status` inside the sandbox and check it does what it claims. */
async function verify(sb: Sandbox, cat: string): Promise<string | undefined> {
  const cmd = wrapCommand(sb, PROBE_LIMITS, { file: cat, args: ['/proc/self/limits', '/proc/self/status'] });
  const r = await runs(cmd.file, cmd.args);
  if (!r.ok) return `${sb.mode} sandbox does not start: ${r.why}`;
  if (sb.rlimits && !/^Max open files\s+64\s+64\b/m.test(r.stdout)) return `${sb.mode} sandbox did not apply rlimits`;
  // NSpid lists the pid in every namespace from the host's down; a job that is init of its own ends in 1.
  if (sb.pidNamespace && !/^NSpid:\s+\d+(\s+\d+)*\s+1\s*$/m.test(r.stdout)) return `${sb.mode} sandbox did not create a PID namespace`;
  return undefined;
}

/** The helper is a trust anchor: refuse one that someone other than root (or us) could have replaced. */
function trustedHelper(path: string): { path?: string; why?: string } {
  if (!path.startsWith('/')) return { why: `helper path ${path} is not absolute` };
  try {
    const real = realpathSync(path);
    const file = statSync(real);
    const dir = statSync(dirname(real));
    const owners = [0, process.getuid?.() ?? 0];
    if (!file.isFile()) return { why: `helper ${real} is not a file` };
    if (!owners.includes(file.uid) || (file.mode & 0o022) !== 0) return { why: `helper ${real} is writable by others or not owned by root` };
    if (!owners.includes(dir.uid) || (dir.mode & 0o022) !== 0) return { why: `directory of helper ${real} is writable by others` };
    return { path: real };
  } catch (e) {
    return { why: `helper ${path}: ${e instanceof Error ? e.message : String(e)}` };
  }
}

async function probeHelper(path: string, cat: string, wantPidns: boolean, notes: string[]): Promise<Sandbox | undefined> {
  const trusted = trustedHelper(path);
  if (!trusted.path) {
    notes.push(trusted.why ?? 'helper refused');
    return undefined;
  }
  const base = { mode: 'helper', rlimits: true, parentDeathSignal: true, paths: { helper: trusted.path } } as const;
  for (const pidNamespace of wantPidns ? [true, false] : [false]) {
    const sb: Sandbox = { ...base, pidNamespace };
    const problem = await verify(sb, cat);
    if (!problem) return sb;
    notes.push(problem);
  }
  return undefined;
}

async function probeUtilLinux(dirs: readonly string[], cat: string, wantPidns: boolean, notes: string[]): Promise<Sandbox | undefined> {
  const found = resolveBinaries(['prlimit', 'setpriv', 'unshare', 'true'], dirs);
  const [prlimit, setpriv, unshare, truePath] = [found.get('prlimit'), found.get('setpriv'), found.get('unshare'), found.get('true') ?? cat];
  const none = { ok: false, stdout: '', why: 'not installed' };
  const [pr, sp, us] = await Promise.all([
    prlimit ? runs(prlimit, ['--nofile=64', '--', truePath]) : none,
    setpriv ? runs(setpriv, ['--pdeathsig', 'KILL', '--', truePath]) : none,
    unshare && wantPidns ? runs(unshare, ['--pid', '--fork', '--kill-child', '--', truePath]) : none,
  ]);
  if (!pr.ok) notes.push(`prlimit unusable (${pr.why}): jobs run WITHOUT rlimits`);
  if (!sp.ok) notes.push(`setpriv --pdeathsig unusable (${sp.why}): jobs may outlive a killed runner`);
  if (!us.ok)
    notes.push(`${wantPidns ? `unshare --pid unusable (${us.why})` : 'PID namespace turned off'}: a setsid grandchild can escape the process-group kill`);
  if (!pr.ok && !sp.ok && !us.ok) return undefined;
  const paths: { prlimit?: string; setpriv?: string; unshare?: string } = {};
  if (pr.ok && prlimit) paths.prlimit = prlimit;
  if (sp.ok && setpriv) paths.setpriv = setpriv;
  if (us.ok && unshare) paths.unshare = unshare;
  const sb: Sandbox = { mode: 'util-linux', rlimits: pr.ok, parentDeathSignal: sp.ok, pidNamespace: us.ok, paths };
  const problem = await verify(sb, cat);
  if (problem) {
    notes.push(problem);
    return undefined;
  }
  return sb;
}

/** Probe what works here, best first: the helper, then util-linux, then the process group alone. */
export async function probeSandbox(options: ProbeOptions = {}): Promise<ProbeReport> {
  const dirs = options.searchDirs ?? DEFAULT_DIRS;
  const wantPidns = options.pidNamespace ?? true;
  const notes: string[] = [];
  const probePrograms = resolveBinaries(['cat', 'env', 'true'], dirs);
  const cat = probePrograms.get('cat');
  if (!cat) return { sandbox: PROCESS_GROUP_ONLY, notes: ['cat not found: cannot probe the sandbox; process group only'] };
  const helper = options.helperPath ? await probeHelper(options.helperPath, cat, wantPidns, notes) : undefined;
  const base = helper ?? (await probeUtilLinux(dirs, cat, wantPidns, notes));
  if (base) {
    const found = options.cgroups && options.hardening ? detectCgroups() : {};
    if (found.why) notes.push(`${found.why}: jobs run WITHOUT a per-job cgroup (rlimits only)`);
    const wanted = options.hardening && found.layout ? { ...options.hardening, cgroup: found.layout } : options.hardening;
    const programs = { cat, env: probePrograms.get('env'), true: probePrograms.get('true') };
    const hardening = wanted ? await probeHardening(base, programs, wanted, notes) : undefined;
    return { sandbox: Object.freeze(hardening ? { ...base, hardening } : base), notes };
  }
  notes.push('no confinement works on this host: process-group kill only, no rlimits');
  return { sandbox: PROCESS_GROUP_ONLY, notes };
}
