/**
 * The resident spawn server (spawn-server.ts, native/serve.h) with the real helper and real binaries: in helper mode it
 * is the default, so runSandboxed goes through it. Concurrent jobs' outputs stay apart, cancel and the deadline still
 * kill and reap through it, output caps behave as with spawn(), and a server killed mid-job fails that job with a
 * spawnError while the next job starts a new server. No network.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { childrenOf, remaining } from '../../../test/helpers/proc-watch';
import { loadRunnerConfig } from '../config';
import { probeSandbox } from './capabilities';
import { setSpawnServerEnabled, spawnServerFor, type SpawnServer } from './spawn-server';
import { buildHelper, sandboxedJobs, fixture, isAlive, readPid, endServedSuite, tempDir, waitFor } from './testing';
import { setWarmJobsEnabled } from './warm-pool';
import type { Sandbox } from './wrapper';

const limits = { cpuSec: 30, memoryMb: 512, maxFds: 256 };
let sandbox: Sandbox | undefined;
let helper = '';

beforeAll(async () => {
  setWarmJobsEnabled(false); // these count the server's children: each job's own first process only (warm-pool.test.ts has the rest)
  const built = await buildHelper();
  if (!built) return;
  helper = built;
  sandbox = (await probeSandbox({ helperPath: built })).sandbox;
}, 120_000);
afterAll(endServedSuite);

const job = sandboxedJobs(() => sandbox, limits);

async function server(): Promise<SpawnServer> {
  const s = await spawnServerFor(helper);
  if (!s) throw new Error('no spawn server');
  return s;
}

/** The server's own children (each job's first process while it runs, a zombie until reaped). */

describe('spawn server', () => {
  it('20 concurrent jobs: each gets exactly its own output, and the server is left with no child', async ({ skip }) => {
    if (!sandbox) return skip('no C compiler for the helper');
    expect(sandbox.mode).toBe('helper');
    const counts = Array.from({ length: 20 }, (_, i) => 30_000 + i * 997); // ~200 KB each, several frames, all distinct
    const results = await Promise.all(counts.map((n) => job('/usr/bin/seq', [String(n)])));
    for (const [i, r] of results.entries()) {
      expect(r.spawnError).toBeUndefined();
      expect(r.exitCode).toBe(0);
      const lines = r.stdout.split('\n');
      expect(lines.length).toBe((counts[i] ?? 0) + 1);
      expect(lines.at(-2)).toBe(String(counts[i]));
      expect(r.stdout).toBe(Array.from({ length: counts[i] ?? 0 }, (_, k) => `${k + 1}\n`).join(''));
    }
    const s = await server();
    // Each job's first process exits just after telling its job's status (native/early-status.h); then it is reaped.
    expect(await waitFor(() => childrenOf(s.pid ?? 0).length === 0, 5000)).toBe(true);
  });

  it('runs the job under the server, which the helper checks as its parent (--ppid)', async ({ skip }) => {
    if (!sandbox) return skip('no C compiler for the helper');
    const dir = tempDir('netdiag-served-');
    const s = await server();
    const ac = new AbortController();
    const result = job(fixture('tree-sleeper'), [dir, '293'], { signal: ac.signal });
    expect(await waitFor(() => readPid(join(dir, 'child.pid')) !== undefined, 10_000)).toBe(true);
    const first = childrenOf(s.pid ?? 0);
    expect(first).toHaveLength(1);
    expect(readFileSync(`/proc/${first[0]}/cmdline`, 'utf8')).toContain('--serve'); // forked, not exec'd
    ac.abort();
    expect((await result).cancelled).toBe(true);
  });

  for (const how of ['deadline', 'cancel'] as const) {
    it(`${how}: the job and its setsid grandchild are killed and reaped before the answer`, async ({ skip }) => {
      if (!sandbox) return skip('no C compiler for the helper');
      const dir = tempDir('netdiag-served-kill-');
      const ac = new AbortController();
      const result = job(fixture('tree-sleeper'), [dir, '292'], { timeoutMs: how === 'deadline' ? 700 : 60_000, killGraceMs: 200, signal: ac.signal });
      expect(await waitFor(() => readPid(join(dir, 'child.pid')) !== undefined && readPid(join(dir, 'grandchild.pid')) !== undefined, 10_000)).toBe(true);
      const first = childrenOf((await server()).pid ?? 0);
      if (how === 'cancel') ac.abort();
      const r = await result;
      expect(how === 'cancel' ? r.cancelled : r.timedOut).toBe(true);
      expect(r.signal).toBe('SIGKILL'); // the helper re-raises the job's death
      const pids = [readPid(join(dir, 'child.pid')) ?? 0, readPid(join(dir, 'grandchild.pid')) ?? 0];
      expect(remaining(pids)).toEqual([]); // no zombie, nothing left
      // The job's first process tells the job's status before it exits itself (native/early-status.h): gone just after.
      expect(await waitFor(() => remaining(first).length === 0, 5000)).toBe(true);
    });
  }

  it("output cap 'kill' kills at the cap; 'drain' reads to the end and keeps the exit status", async ({ skip }) => {
    if (!sandbox) return skip('no C compiler for the helper');
    const flood = ['-c', String(8 << 20), '/dev/zero'];
    const killed = await job('/usr/bin/head', flood, { maxStdoutBytes: 65_536 });
    expect(killed).toMatchObject({ killedAtOutputCap: true, stdoutTruncated: true, exitCode: null, signal: 'SIGKILL' });
    expect(killed.stdout.length).toBe(65_536);
    const drained = await job('/usr/bin/head', flood, { maxStdoutBytes: 65_536, stdoutCapAction: 'drain' });
    expect(drained).toMatchObject({ killedAtOutputCap: false, stdoutTruncated: true, exitCode: 0, stdoutBytesSeen: 8 << 20 });
    expect(drained.stdout.length).toBe(65_536);
  });

  it('a server killed mid-job fails that job with a spawnError; the next job starts a new server', async ({ skip }) => {
    if (!sandbox) return skip('no C compiler for the helper');
    const dir = tempDir('netdiag-served-death-');
    const before = await server();
    const result = job(fixture('tree-sleeper'), [dir, '291']);
    expect(await waitFor(() => readPid(join(dir, 'child.pid')) !== undefined && readPid(join(dir, 'grandchild.pid')) !== undefined, 10_000)).toBe(true);
    process.kill(before.pid ?? 0, 'SIGKILL');
    const r = await result;
    expect(r.spawnError).toMatch(/^spawn server died \(exited with SIGKILL\)/);
    expect(r.exitCode).toBeNull();
    // The job went with it (parent-death signals down the chain); an orphan's reaping falls to the host's init.
    const sleepers = [readPid(join(dir, 'child.pid')) ?? 0, readPid(join(dir, 'grandchild.pid')) ?? 0];
    expect(await waitFor(() => sleepers.every((p) => !isAlive(p)), 5000)).toBe(true);
    const next = await job('/usr/bin/echo', ['again']);
    expect(next).toMatchObject({ exitCode: 0, stdout: 'again\n' });
    expect((await server()).pid).not.toBe(before.pid);
  });

  it('a server that stops answering a kill is ended; its job fails with a spawnError instead of holding its slot', async ({ skip }) => {
    if (!sandbox) return skip('no C compiler for the helper');
    const dir = tempDir('netdiag-served-hung-');
    const before = await server();
    const ac = new AbortController();
    const result = job(fixture('tree-sleeper'), [dir, '290'], { signal: ac.signal });
    expect(await waitFor(() => readPid(join(dir, 'child.pid')) !== undefined, 10_000)).toBe(true);
    process.kill(before.pid ?? 0, 'SIGSTOP');
    ac.abort();
    const r = await result;
    expect(r.spawnError).toMatch(/^spawn server died \(no answer within \d+ ms\)/);
    expect(await waitFor(() => !isAlive(before.pid ?? 0) && !isAlive(readPid(join(dir, 'child.pid')) ?? 0), 5000)).toBe(true);
  });

  it('NETDIAG_SPAWN_SERVER=false: the runner spawns the helper itself, as before', async ({ skip }) => {
    const base = { NETDIAG_API_URL: 'http://127.0.0.1:9', NETDIAG_RUNNER_TOKEN: 'x'.repeat(32) };
    expect(loadRunnerConfig(base).sandbox.spawnServer).toBe(true);
    expect(loadRunnerConfig({ ...base, NETDIAG_SPAWN_SERVER: 'false' }).sandbox.spawnServer).toBe(false);
    if (!sandbox) return skip('no C compiler for the helper');
    const dir = tempDir('netdiag-unserved-');
    const ac = new AbortController();
    setSpawnServerEnabled(false);
    try {
      const result = job(fixture('tree-sleeper'), [dir, '289'], { signal: ac.signal });
      expect(await waitFor(() => readPid(join(dir, 'child.pid')) !== undefined, 10_000)).toBe(true);
      const ours = childrenOf(process.pid).map((pid) => readFileSync(`/proc/${pid}/cmdline`, 'utf8'));
      expect(ours.some((argv) => argv.includes('--ppid') && argv.includes('tree-sleeper'))).toBe(true); // the one-shot helper
      ac.abort();
      expect((await result).cancelled).toBe(true);
    } finally {
      setSpawnServerEnabled(true);
    }
  });

  it('passes no environment but SAFE_ENV and no fd but 0-2 to the job', async ({ skip }) => {
    if (!sandbox) return skip('no C compiler for the helper');
    const env = await job('/usr/bin/env', []);
    expect(env.stdout.trim().split('\n').sort()).toEqual(['LANG=C', 'LC_ALL=C', 'PATH=/usr/sbin:/usr/bin:/sbin:/bin']);
    const fds = await job('/usr/bin/ls', ['/proc/self/fd']);
    expect(fds.stdout.trim().split('\n').sort()).toEqual(['0', '1', '2', '3']); // 3: ls's own directory handle
  });
});
