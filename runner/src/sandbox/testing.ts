/** Support for the sandbox tests and the benchmark: fixtures, /proc checks, building the optional helper. */
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ProcessLimits } from './limits';
import { runSandboxed, type SpawnRequest, type SpawnResult } from './spawn';
import { stopSpawnServers } from './spawn-server';
import { setWarmJobsEnabled } from './warm-pool';
import type { Sandbox } from './wrapper';

export const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url));
export const HELPER_SOURCE = fileURLToPath(new URL('native/netdiag-sandbox.c', import.meta.url));

/** Absolute path of a fake binary in test/fixtures/bin, made executable (a checkout may drop the bit). */
export function fixture(name: string): string {
  const path = join(REPO_ROOT, 'test', 'fixtures', 'bin', name);
  chmodSync(path, 0o755);
  return path;
}

/** Whether a pid is a live process whose command line contains `marker` (a reaped or zombie one is dead). */
export function isAlive(pid: number, marker?: string): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    if (state === 'Z' || state === 'X') return false;
    return marker === undefined || readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').includes(marker);
  } catch {
    return false;
  }
}

export async function waitFor(check: () => boolean, timeoutMs: number, stepMs = 20): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, stepMs));
  }
  return check();
}

/** Read a pid file written by a fixture; undefined until it is complete. */
export function readPid(file: string): number | undefined {
  if (!existsSync(file)) return undefined;
  const pid = Number(readFileSync(file, 'utf8').trim());
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

/** Best-effort SIGKILL for test clean-up (a test that fails must not leave sleepers behind). */
export function killQuietly(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

const created: string[] = [];

/** A private temporary directory; removeTempDirs() (in afterAll) deletes them. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  created.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** After a suite of served jobs (afterAll): warm job processes back on, the spawn servers stopped, the temp dirs gone. */
export function endServedSuite(): void {
  setWarmJobsEnabled(true);
  stopSpawnServers();
  removeTempDirs();
}

/**
 * Compile the optional one-exec helper into a fresh private directory; undefined when this host cannot build
 * it (no gcc, or no static libc). A compile error in the source itself still fails loudly.
 */
export async function buildHelper(): Promise<string | undefined> {
  const gcc = ['/usr/bin/gcc', '/usr/bin/cc'].find((p) => existsSync(p));
  if (!gcc) return undefined;
  const libc = await runSandboxed({ file: gcc, args: ['-print-file-name=libc.a'], timeoutMs: 10_000, maxStdoutBytes: 4096, maxStderrBytes: 4096 });
  if (libc.exitCode !== 0 || !libc.stdout.trim().startsWith('/')) return undefined;
  const out = join(tempDir('netdiag-helper-'), 'netdiag-sandbox');
  const r = await runSandboxed({
    file: gcc,
    args: ['-static', '-O2', '-Wall', '-Wextra', '-Werror', '-o', out, HELPER_SOURCE],
    timeoutMs: 60_000,
    maxStdoutBytes: 65_536,
    maxStderrBytes: 65_536,
  });
  if (r.exitCode !== 0) throw new Error(`building the helper failed: ${r.spawnError ?? r.stderr}`);
  return out;
}

/** Compiles test/fixtures/escape.c (the attacks run from inside a job) into `dir` and returns the binary's path. */
export async function buildEscapeFixture(dir: string): Promise<string> {
  const out = join(dir, 'escape');
  const gcc = await runSandboxed({
    file: '/usr/bin/gcc',
    args: ['-O2', '-Wall', '-Werror', '-o', out, join(REPO_ROOT, 'test', 'fixtures', 'escape.c')],
    timeoutMs: 60_000,
    maxStdoutBytes: 65_536,
    maxStderrBytes: 65_536,
  });
  if (gcc.exitCode !== 0) throw new Error(`escape fixture: ${gcc.stderr}`);
  return out;
}

/**
 * `job(file, args, more)` for suites that run jobs through runSandboxed in one sandbox they probe in beforeAll (read
 * when each job starts): a 20 s deadline, 4 MiB of stdout and 64 KiB of stderr unless `more` says otherwise.
 */
export function sandboxedJobs(sandbox: () => Sandbox | undefined, limits: ProcessLimits) {
  return (file: string, args: string[], more: Partial<SpawnRequest> = {}): Promise<SpawnResult> =>
    runSandboxed({
      file,
      args,
      timeoutMs: 20_000,
      maxStdoutBytes: 1 << 22,
      maxStderrBytes: 65_536,
      confine: { sandbox: sandbox() as Sandbox, limits },
      ...more,
    });
}
