/**
 * Which of the wanted hardening parts (identity drop, seccomp, private read-only filesystem, cgroup, exec restriction)
 * work on this host, each tried for real on top of an already working sandbox and checked from inside
 * (/proc/self/status, mountinfo; for exec, a program not granted must be refused): a non-root runner, a container
 * without CAP_SYS_ADMIN or a kernel without Landlock gets what works and a note for what does not
 * (docs/security.md, "Sandbox": degrade loudly).
 */
import { createJobCgroup, removeJobCgroup } from './cgroup';
import type { ProcessLimits } from './limits';
import { runSandboxed } from './spawn';
import { type Hardening, type Sandbox, wrapCommand } from './wrapper';

const PROBE_LIMITS: ProcessLimits = { cpuSec: 5, memoryMb: 256, maxFds: 64 };

type Part = keyof Hardening;

/** The programs the probe runs: `cat` for the /proc checks; `env` and `true` for the exec restriction. */
export interface ProbePrograms {
  cat: string;
  env?: string | undefined;
  true?: string | undefined;
}

/** Landlock leaves no trace in /proc: a job granted only `env` must fail to start `true` (EACCES, env exits 126). */
async function execRefused(sb: Sandbox, programs: ProbePrograms): Promise<string | undefined> {
  if (!programs.env || !programs.true) return 'env or true not found to try it';
  const cmd = wrapCommand(sb, PROBE_LIMITS, { file: programs.env, args: [programs.true] });
  const r = await runSandboxed({ file: cmd.file, args: cmd.args, timeoutMs: 5000, maxStdoutBytes: 4096, maxStderrBytes: 4096 });
  if (r.exitCode === 126 && /permission denied/i.test(r.stderr)) return undefined;
  if (r.exitCode === 0) return 'a program the job was not granted still ran';
  return r.spawnError ?? (r.stderr.trim().split('\n')[0] || `exit ${String(r.exitCode ?? r.signal)}`);
}

/** What the job's own view shows when a part is in force; undefined: it is. */
function check(part: Part, h: Hardening, out: string): string | undefined {
  if (part === 'identity' && h.identity) {
    if (!new RegExp(`^Uid:\\s+${h.identity.uid}\\s+${h.identity.uid}\\s`, 'm').test(out)) return 'the job kept its uid';
    if (!/^CapEff:\s+0+$/m.test(out) || !/^CapBnd:\s+0+$/m.test(out)) return 'the job kept capabilities';
    if (!/^NoNewPrivs:\s+1$/m.test(out)) return 'no_new_privs is not set';
  }
  if (part === 'seccomp' && !/^Seccomp:\s+2$/m.test(out)) return 'no seccomp filter';
  // mountinfo: "id parent major:minor root mountpoint options ..." — the job's "/" must be mounted read-only.
  if (part === 'filesystem' && !/^\S+ \S+ \S+ \S+ \/ ro[, ]/m.test(out)) return 'the root is not read-only';
  if (part === 'cgroup' && !/netdiag-job-/.test(out)) return 'the job is not in its cgroup';
  return undefined;
}

async function tryParts(base: Sandbox, programs: ProbePrograms, h: Hardening, parts: readonly Part[]): Promise<string | undefined> {
  const sb: Sandbox = { ...base, hardening: h };
  const cat = programs.cat;
  const cgroups = h.cgroup ? createJobCgroup(h.cgroup, { maxProcesses: 16, memoryMb: PROBE_LIMITS.memoryMb }) : undefined;
  const cmd = wrapCommand(sb, PROBE_LIMITS, { file: cat, args: ['/proc/self/status', '/proc/self/mountinfo', '/proc/self/cgroup'], cgroups });
  const r = await runSandboxed({ file: cmd.file, args: cmd.args, timeoutMs: 5000, maxStdoutBytes: 262_144, maxStderrBytes: 4096 });
  if (cgroups) removeJobCgroup(cgroups);
  if (r.exitCode !== 0) return r.spawnError ?? (r.stderr.trim().split('\n')[0] || `exit ${String(r.exitCode ?? r.signal)}`);
  for (const part of parts) {
    const problem = check(part, h, r.stdout);
    if (problem) return problem;
  }
  return parts.includes('exec') ? execRefused(sb, programs) : undefined;
}

/** The wanted parts that work here, each tried alone and then all together; notes say what is missing and why. */
export async function probeHardening(base: Sandbox, programs: ProbePrograms, wanted: Hardening, notes: string[]): Promise<Hardening | undefined> {
  // The util-linux chain has no seccomp and no mount setup: only the identity drop (setpriv).
  const parts = (['identity', 'seccomp', 'filesystem', 'cgroup', 'exec'] as const).filter((p) => wanted[p] !== undefined && wanted[p] !== false);
  const working: Hardening = {};
  for (const part of parts) {
    if (base.mode !== 'helper' && part !== 'identity') {
      notes.push(`${part} needs the netdiag-sandbox helper: jobs run WITHOUT it`);
      continue;
    }
    const one: Hardening = { [part]: wanted[part] };
    const problem = await tryParts(base, programs, one, [part]);
    if (problem) notes.push(`${part} unusable (${problem}): jobs run WITHOUT it`);
    else Object.assign(working, one);
  }
  const got = Object.keys(working) as Part[];
  if (got.length === 0) return undefined;
  const together = await tryParts(base, programs, working, got);
  if (together) {
    notes.push(`hardening parts work alone but not together (${together}): jobs run WITHOUT ${got.join(', ')}`);
    return undefined;
  }
  return working;
}
