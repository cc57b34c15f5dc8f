/**
 * Degrade loudly (docs/security.md, "Sandbox"): on a kernel without Landlock the runner's start-up probe keeps every
 * other protection, leaves `exec` out and says why. The kernel here has Landlock, so test/fixtures/no-landlock.c
 * makes its syscalls fail with ENOSYS (a seccomp filter) for a process running the probe as the runner does
 * (test/fixtures/probe-report.ts). Needs root and gcc; elsewhere the test skips. No network.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runSandboxed } from './spawn';
import { REPO_ROOT, buildHelper, removeTempDirs } from './testing';

const dir = mkdtempSync('/var/tmp/netdiag-landlock-fallback-');

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  removeTempDirs();
});

const run = (file: string, args: string[]) => runSandboxed({ file, args, timeoutMs: 90_000, maxStdoutBytes: 65_536, maxStderrBytes: 65_536 });

/** The probe's verdict, run under no-landlock when `withoutLandlock`. */
async function probeReport(noLandlock: string, helper: string, withoutLandlock: boolean): Promise<{ protections: string[]; notes: string[] }> {
  const probe = [process.execPath, '--import', 'tsx', join(REPO_ROOT, 'test', 'fixtures', 'probe-report.ts'), helper];
  const [file = '', ...args] = withoutLandlock ? [noLandlock, ...probe] : probe;
  const r = await run(file, args);
  if (r.exitCode !== 0) throw new Error(`probe-report: ${r.stderr}`);
  return JSON.parse(r.stdout) as { protections: string[]; notes: string[] };
}

describe('a kernel without Landlock', () => {
  it('gets every other protection, no exec restriction, and a note saying why', async ({ skip }) => {
    const helper = process.getuid?.() === 0 && process.arch === 'x64' ? await buildHelper() : undefined;
    if (!helper) return skip('needs root, gcc and x86_64');
    const noLandlock = join(dir, 'no-landlock');
    const gcc = await run('/usr/bin/gcc', ['-O2', '-Wall', '-Wextra', '-Werror', '-o', noLandlock, join(REPO_ROOT, 'test', 'fixtures', 'no-landlock.c')]);
    expect(gcc.stderr).toBe('');
    const normal = await probeReport(noLandlock, helper, false);
    expect(normal.protections).toContain('exec'); // the control: here Landlock works
    const without = await probeReport(noLandlock, helper, true);
    expect(without.protections).not.toContain('exec');
    expect(without.protections).toEqual(normal.protections.filter((p) => p !== 'exec'));
    expect(without.notes.join('\n')).toMatch(/^exec unusable \(.*landlock_create_ruleset: Function not implemented\): jobs run WITHOUT it$/m);
  }, 180_000);
});
