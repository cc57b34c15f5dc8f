/**
 * "Kill the job, not its reaper" (job-killer.ts): at the deadline and on cancel, the job and its setsid grandchild are
 * not only dead but reaped (no /proc entry, so no zombie) by the time runSandboxed answers. With the old group SIGKILL
 * the wrapper died with the job and the job stayed a zombie until the host's init reaped it.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { probeSandbox } from './capabilities';
import { runSandboxed } from './spawn';
import { buildHelper, fixture, readPid, removeTempDirs, tempDir, waitFor } from './testing';
import type { Sandbox } from './wrapper';

const limits = { cpuSec: 30, memoryMb: 512, maxFds: 256 };
afterAll(removeTempDirs);

const reaped = (pid: number): boolean => !existsSync(`/proc/${pid}`);

async function run(
  sandbox: Sandbox,
  how: 'deadline' | 'cancel',
): Promise<{ child: number; grandchild: number; signal: string | null; exitCode: number | null }> {
  const dir = tempDir('netdiag-reap-');
  const ac = new AbortController();
  const result = runSandboxed({
    file: fixture('tree-sleeper'),
    args: [dir, '296'],
    timeoutMs: how === 'deadline' ? 700 : 60_000,
    killGraceMs: 200,
    maxStdoutBytes: 4096,
    maxStderrBytes: 4096,
    signal: ac.signal,
    confine: { sandbox, limits },
  });
  expect(await waitFor(() => readPid(join(dir, 'child.pid')) !== undefined && readPid(join(dir, 'grandchild.pid')) !== undefined, 10_000)).toBe(true);
  if (how === 'cancel') ac.abort();
  const r = await result;
  expect(how === 'cancel' ? r.cancelled : r.timedOut).toBe(true);
  return { child: readPid(join(dir, 'child.pid')) ?? 0, grandchild: readPid(join(dir, 'grandchild.pid')) ?? 0, signal: r.signal, exitCode: r.exitCode };
}

const modes: Array<[string, () => Promise<Sandbox | undefined>]> = [
  ['util-linux', async () => (await probeSandbox()).sandbox],
  [
    'helper',
    async () => {
      const helperPath = await buildHelper();
      return helperPath ? (await probeSandbox({ helperPath })).sandbox : undefined;
    },
  ],
];

describe('the killed job is reaped before the answer', () => {
  for (const [name, make] of modes) {
    for (const how of ['deadline', 'cancel'] as const) {
      it(`${name} with a PID namespace, on ${how}: job and setsid grandchild leave no /proc entry`, async ({ skip }) => {
        const sandbox = await make();
        if (!sandbox) return skip('no C compiler for the helper');
        expect(sandbox).toMatchObject({ mode: name, pidNamespace: true });
        const r = await run(sandbox, how);
        expect(r.child).toBeGreaterThan(0);
        expect(reaped(r.child)).toBe(true);
        expect(reaped(r.grandchild)).toBe(true);
        // The helper reports the job's own death by re-raising its signal. (unshare 2.38 means to do the same but
        // exits 1 with "sigprocmask unblock failed"; the outcome is decided by timedOut/cancelled either way.)
        if (name === 'helper') expect(r.signal).toBe('SIGKILL');
        else expect(r.exitCode ?? r.signal).not.toBe(0);
      });
    }
  }
});
