/**
 * A non-root runner (the shipped container profile: uid 10001, bounding set {NET_RAW}, no_new_privs) runs its jobs
 * under its own uid, so the uid alone does not keep a job out of the runner's /proc/<pid>/environ (its token) nor
 * stop it signalling the runner. The Landlock domain of the exec restriction does: a process inside it may not
 * ptrace-access (which includes opening environ and mem) a process outside it and, with Landlock ABI 6 (Linux 6.12),
 * may not signal one (docs/security.md, "Sandbox"). A runner-like parent (test/fixtures/same-uid-job.ts) runs both
 * attacks through the real sandbox path under that profile; the control runs the same under
 * test/fixtures/no-landlock.c, where both must succeed. Needs root (to take on uid 10001), gcc, setpriv and x86_64;
 * elsewhere it skips. No network.
 */
import { execFile } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { release } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSandboxed } from './spawn';
import { REPO_ROOT, buildHelper, removeTempDirs } from './testing';

const SETPRIV = '/usr/bin/setpriv';
const PROFILE = ['--reuid', '10001', '--regid', '10001', '--clear-groups', '--inh-caps=-all', '--bounding-set=-all,+net_raw', '--no-new-privs', '--'];
const MARKER = 'environ-marker-4f1c9a7e2b6d';
// Outside /tmp and readable by uid 10001 (buildHelper's own directory is 0700): the helper must be reachable by the runner.
const dir = mkdtempSync('/var/tmp/netdiag-same-uid-job-');
chmodSync(dir, 0o755);
const [major = 0, minor = 0] = release().split('.').map(Number);
const signalScope = major > 6 || (major === 6 && minor >= 12); // Landlock ABI 6

interface Report {
  uid: number;
  protections: string[];
  environ: { exitCode: number | null; leaked: boolean; stderr: string };
  kill: { exitCode: number | null; signalled: boolean; stderr: string };
}

/** The runner-like parent under the non-root profile; `wrap` (no-landlock) goes between setpriv and node. */
async function parentReport(helper: string, wrap: string[]): Promise<Report> {
  const argv = [...PROFILE, ...wrap, process.execPath, '--import', 'tsx', join(REPO_ROOT, 'test', 'fixtures', 'same-uid-job.ts'), helper];
  const { stdout } = await promisify(execFile)(SETPRIV, argv, {
    cwd: REPO_ROOT,
    env: { PATH: '/usr/bin:/bin', NETDIAG_RUNNER_TOKEN: MARKER },
    timeout: 90_000,
  });
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as Report;
}

let confined: Report | undefined;
let exposed: Report | undefined;
let why = 'needs root, gcc, setpriv and x86_64';

beforeAll(async () => {
  const built = process.getuid?.() === 0 && process.arch === 'x64' && existsSync(SETPRIV) ? await buildHelper() : undefined;
  if (!built) return;
  const helper = join(dir, 'netdiag-sandbox');
  copyFileSync(built, helper);
  chmodSync(helper, 0o755);
  const noLandlock = join(dir, 'no-landlock');
  const gcc = await runSandboxed({
    file: '/usr/bin/gcc',
    args: ['-O2', '-Wall', '-Wextra', '-Werror', '-o', noLandlock, join(REPO_ROOT, 'test', 'fixtures', 'no-landlock.c')],
    timeoutMs: 90_000,
    maxStdoutBytes: 65_536,
    maxStderrBytes: 65_536,
  });
  if (gcc.exitCode !== 0) throw new Error(`no-landlock fixture: ${gcc.stderr}`);
  chmodSync(noLandlock, 0o755);
  const report = await parentReport(helper, []);
  if (!report.protections.includes('exec')) {
    why = `Landlock unavailable here (protections: ${report.protections.join(', ')})`;
    return;
  }
  confined = report;
  // The control: the same parent and jobs on a "kernel without Landlock".
  exposed = await parentReport(helper, [noLandlock]);
}, 240_000);

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  removeTempDirs();
});

describe('a job under the runner’s own uid (non-root profile)', () => {
  it('the setting holds: uid 10001, no identity drop; the control has no Landlock and every other protection', ({ skip }) => {
    if (!confined || !exposed) return skip(why);
    expect(confined.uid).toBe(10001);
    expect(confined.protections).not.toContain('identity'); // the job shares the runner's uid: only Landlock stands in the way
    expect(exposed.protections).toEqual(confined.protections.filter((p) => p !== 'exec'));
  });

  it('cannot read the runner’s /proc/<pid>/environ with Landlock, and reads it without', ({ skip }) => {
    if (!confined || !exposed) return skip(why);
    expect(confined.environ.leaked).toBe(false);
    expect(confined.environ.exitCode).toBe(1);
    expect(confined.environ.stderr).toMatch(/environ: Permission denied$/);
    expect(exposed.environ.exitCode).toBe(0);
    expect(exposed.environ.leaked).toBe(true);
  });

  it('cannot signal the runner with Landlock ABI 6 (Linux 6.12), and can without', ({ skip }) => {
    if (!confined || !exposed) return skip(why);
    if (!signalScope) return skip(`Landlock's signal scope needs Linux 6.12 (this is ${release()})`);
    expect(confined.kill.signalled).toBe(false);
    expect(confined.kill.exitCode).toBe(1);
    expect(confined.kill.stderr).toMatch(/Operation not permitted$/);
    expect(exposed.kill.exitCode).toBe(0);
    expect(exposed.kill.signalled).toBe(true);
  });
});
