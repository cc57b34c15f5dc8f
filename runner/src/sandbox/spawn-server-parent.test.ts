/**
 * A SIGKILLed runner takes its spawn server and the server's jobs with it (docs/security.md, "Sandbox"): the server
 * has PR_SET_PDEATHSIG on the runner, each job's first process on the server, the job on that; the same holds for the
 * warm process waiting for the next job's arguments (warm-pool.ts). A stand-in runner
 * (test/fixtures/bin/sandboxed-parent.ts) starts a confined tree-sleeper through the real path; the test kills it.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, afterEach, expect, it } from 'vitest';
import { findProcesses } from '../../../test/helpers/proc-watch';
import { buildHelper, fixture, isAlive, killQuietly, readPid, removeTempDirs, REPO_ROOT, tempDir, waitFor } from './testing';

const leftovers: number[] = [];
afterEach(() => {
  for (const pid of leftovers.splice(0)) killQuietly(pid);
});
afterAll(removeTempDirs);

it('a SIGKILLed runner: its spawn server, the job and its setsid grandchild die', async ({ skip }) => {
  const helperPath = await buildHelper();
  if (!helperPath) return skip('no C compiler');
  const dir = tempDir('netdiag-server-orphan-');
  const runner = spawn(process.execPath, ['--import', 'tsx', fixture('sandboxed-parent.ts'), dir, JSON.stringify({ helperPath })], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (runner.pid !== undefined) leftovers.push(runner.pid); // a failing test must not leave it (and its jobs) running
  const pid = (name: string): number | undefined => readPid(join(dir, name));
  const started = await waitFor(() => pid('child.pid') !== undefined && pid('grandchild.pid') !== undefined, 15_000);
  expect(started).toBe(true);
  // The server, the job's first process (forked from it, so the same command line) and the warm process prepared for the
  // next such job (warm-pool.ts) with the clone that waits, hardened, for its arguments (native/warm.h): neither execs.
  const served = (): number[] => findProcesses((argv) => argv[0] === helperPath && argv[1] === '--serve' && argv[3] === String(runner.pid)).map((p) => p.pid);
  expect(await waitFor(() => served().length === 4, 10_000)).toBe(true);
  const all = [...served(), pid('child.pid') ?? 0, pid('grandchild.pid') ?? 0];
  leftovers.push(...all);
  const exited = new Promise((resolve) => runner.once('exit', resolve));
  runner.kill('SIGKILL');
  await exited;
  // Dead (a zombie counts: reaping an orphan falls to the host's init).
  expect(await waitFor(() => all.every((p) => !isAlive(p)), 5000)).toBe(true);
});
