/**
 * The helper's seccomp filter is a search tree, not a list (native/harden-seccomp.h): this checks that the tree says
 * exactly what the plain lists in that header say, for every syscall number, both architectures and the clone and
 * personality arguments (test/fixtures/seccomp-check.c runs the built program in a small BPF interpreter). Needs gcc;
 * no root, nothing is installed. Whether the kernel enforces it is hardening.test.ts's part.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runSandboxed } from './spawn';
import { REPO_ROOT } from './testing';

const dir = mkdtempSync(join(tmpdir(), 'netdiag-seccomp-check-'));
const header = join(REPO_ROOT, 'runner', 'src', 'sandbox', 'native', 'harden-seccomp.h');

afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(file: string, args: string[]) {
  return runSandboxed({ file, args, timeoutMs: 60_000, maxStdoutBytes: 65_536, maxStderrBytes: 65_536 });
}

describe('the seccomp filter', () => {
  it('denies exactly the listed syscalls, with the listed errno, and kills other architectures', async ({ skip }) => {
    if (!existsSync('/usr/bin/gcc') || process.arch !== 'x64') return skip('needs gcc on x86_64');
    const out = join(dir, 'seccomp-check');
    const gcc = await run('/usr/bin/gcc', [
      '-O2',
      '-Wall',
      '-Wextra',
      '-Werror',
      `-DHEADER="${header}"`,
      '-o',
      out,
      join(REPO_ROOT, 'test', 'fixtures', 'seccomp-check.c'),
    ]);
    expect(gcc.stderr).toBe('');
    const r = await run(out, []);
    expect(r.stdout).toMatch(/^checked \d+, \d+ instructions, longest allowed path \d+, 0 wrong$/m);
    expect(r.exitCode).toBe(0);
    // The point of the tree: an allowed call passes about a dozen instructions (the linear list took up to 64).
    expect(Number(/longest allowed path (\d+)/.exec(r.stdout)?.[1])).toBeLessThanOrEqual(20);
  }, 90_000);
});
