/**
 * "No orphans": after a deadline, or after the runner itself is SIGKILLed, no process of the job's tree
 * may remain, including a grandchild that called setsid to leave the process group. Checked in /proc.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { probeSandbox } from './capabilities';
import { runSandboxed } from './spawn';
import { buildHelper, fixture, isAlive, killQuietly, readPid, removeTempDirs, REPO_ROOT, tempDir, waitFor } from './testing';
import { PROCESS_GROUP_ONLY, type Sandbox } from './wrapper';

const SLEEP = 'sleep 297';
const limits = { cpuSec: 30, memoryMb: 512, maxFds: 256 };
afterAll(removeTempDirs);
const leftovers: number[] = [];
afterEach(() => {
  for (const pid of leftovers.splice(0)) killQuietly(pid);
});

function pids(dir: string): { child?: number; grandchild?: number } {
  const child = readPid(join(dir, 'child.pid'));
  const grandchild = readPid(join(dir, 'grandchild.pid'));
  for (const p of [child, grandchild]) if (p !== undefined) leftovers.push(p);
  return { ...(child !== undefined && { child }), ...(grandchild !== undefined && { grandchild }) };
}

async function timeoutRun(sandbox: Sandbox): Promise<{ child?: number; grandchild?: number; timedOut: boolean; durationMs: number }> {
  const dir = tempDir('netdiag-tree-');
  const r = await runSandboxed({
    file: fixture('tree-sleeper'),
    args: [dir, '297'],
    timeoutMs: 700,
    killGraceMs: 200,
    maxStdoutBytes: 4096,
    maxStderrBytes: 4096,
    confine: { sandbox, limits },
  });
  return { ...pids(dir), timedOut: r.timedOut, durationMs: r.durationMs };
}

describe('deadline kills the whole tree', () => {
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
  for (const [name, make] of modes) {
    it(`${name} with a PID namespace: the setsid grandchild dies too`, async ({ skip }) => {
      const sandbox = await make();
      if (!sandbox) return skip('no C compiler for the helper');
      expect(sandbox).toMatchObject({ mode: name, pidNamespace: true });
      const r = await timeoutRun(sandbox);
      expect(r.timedOut).toBe(true);
      expect(r.child).toBeDefined();
      expect(r.grandchild).toBeDefined();
      // The result comes back only after the namespace is gone, so nothing may be left even now.
      expect(isAlive(r.child ?? 0, SLEEP)).toBe(false);
      expect(isAlive(r.grandchild ?? 0, SLEEP)).toBe(false);
    });
  }

  it('process-group fallback: the group dies, a setsid grandchild escapes (why the namespace matters)', async () => {
    const r = await timeoutRun(PROCESS_GROUP_ONLY);
    expect(r.timedOut).toBe(true);
    expect(isAlive(r.child ?? 0, SLEEP)).toBe(false);
    expect(isAlive(r.grandchild ?? 0, SLEEP)).toBe(true);
    // ...and runSandboxed did not wait for it although it still holds the output pipes.
    expect(r.durationMs).toBeLessThan(3000);
  });
});

describe('a SIGKILLed runner takes its jobs with it', () => {
  let helperPath: string | undefined;
  beforeAll(async () => {
    helperPath = await buildHelper();
  });

  async function killRunnerDuringJob(options: Record<string, unknown>): Promise<{ child: number; grandchild: number; mode: string }> {
    const dir = tempDir('netdiag-orphan-');
    const runner = spawn(process.execPath, ['--import', 'tsx', fixture('sandboxed-parent.ts'), dir, JSON.stringify(options)], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let mode = '';
    runner.stdout.on('data', (d: Buffer) => {
      mode += d.toString();
    });
    const started = await waitFor(() => pids(dir).child !== undefined && pids(dir).grandchild !== undefined, 15_000);
    const exited = new Promise((resolve) => runner.once('exit', resolve));
    runner.kill('SIGKILL');
    await exited;
    expect(started).toBe(true);
    const { child = 0, grandchild = 0 } = pids(dir);
    return { child, grandchild, mode: mode.trim() };
  }

  it('util-linux chain: pdeathsig kills unshare, --kill-child kills the namespace', async () => {
    const r = await killRunnerDuringJob({});
    expect(r.mode).toBe('util-linux: rlimits, pdeathsig, pid-namespace');
    expect(await waitFor(() => !isAlive(r.child, SLEEP) && !isAlive(r.grandchild, SLEEP), 3000)).toBe(true);
  });

  it('helper: the same with one exec', async ({ skip }) => {
    if (!helperPath) return skip('no C compiler');
    const r = await killRunnerDuringJob({ helperPath });
    expect(r.mode).toBe('helper: rlimits, pdeathsig, pid-namespace');
    expect(await waitFor(() => !isAlive(r.child, SLEEP) && !isAlive(r.grandchild, SLEEP), 3000)).toBe(true);
  });

  it('without a PID namespace pdeathsig still kills the job itself (not a setsid grandchild)', async () => {
    const r = await killRunnerDuringJob({ pidNamespace: false });
    expect(r.mode).toMatch(/^util-linux: rlimits, pdeathsig, process-group/);
    expect(await waitFor(() => !isAlive(r.child, SLEEP), 3000)).toBe(true);
    expect(isAlive(r.grandchild, SLEEP)).toBe(true);
  });
});
