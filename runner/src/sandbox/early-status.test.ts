/**
 * The job's status told before its mount namespace is torn down (native/early-status.h, native/serve.h), through the
 * spawn server with the filesystem view (the job's own mount namespace): status and output are exactly right for a job
 * that exits on its own, one the deadline's SIGTERM ends, one a fault kills, one killed after the grace, one cancelled; every process
 * of the job is reaped by the answer and its first process just after; that first process holds the job's mount
 * namespace while the job runs, and the job holds neither that nor the status pipe (its fds are 0, 1, 2). Root only
 * (the filesystem view needs it). No network.
 */
import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { childrenOf, remaining } from '../../../test/helpers/proc-watch';
import { probeSandbox } from './capabilities';
import { spawnServerFor } from './spawn-server';
import { buildHelper, sandboxedJobs, endServedSuite, waitFor } from './testing';
import { setWarmJobsEnabled } from './warm-pool';
import type { Sandbox } from './wrapper';

const limits = { cpuSec: 30, memoryMb: 512, maxFds: 256 };
const PYTHON = '/usr/bin/python3';
let sandbox: Sandbox | undefined;
let helper = '';

beforeAll(async () => {
  setWarmJobsEnabled(false); // these count the server's children: each job's own first process only (warm-pool.test.ts has the rest)
  const built = process.getuid?.() === 0 ? await buildHelper() : undefined;
  if (!built) return;
  helper = built;
  const probed = (await probeSandbox({ helperPath: built, hardening: { filesystem: { tmpMb: 16, hide: [] } } })).sandbox;
  if (probed.mode === 'helper' && probed.pidNamespace && probed.hardening?.filesystem) sandbox = probed;
}, 120_000);
afterAll(endServedSuite);

const job = sandboxedJobs(() => sandbox, limits);

/** While a served job runs: its first process (the server's child), the job (that one's child) and the job's children. */
async function jobTree(atLeast: number): Promise<{ first: number; job: number; below: number[] }> {
  const server = await spawnServerFor(helper);
  if (!server?.pid) throw new Error('no spawn server');
  let tree = { first: 0, job: 0, below: [] as number[] };
  const found = await waitFor(() => {
    const first = childrenOf(server.pid ?? 0)[0] ?? 0;
    const jobPid = childrenOf(first)[0] ?? 0;
    tree = { first, job: jobPid, below: childrenOf(jobPid) };
    return jobPid > 0 && tree.below.length >= atLeast;
  }, 10_000);
  if (!found) throw new Error('the served job did not show up');
  return tree;
}

/** Every process of the job is gone at the answer; its first process (which tells the status first) right after. */
async function expectAllGone(tree: { first: number; job: number; below: number[] }): Promise<void> {
  expect(remaining([tree.job, ...tree.below])).toEqual([]);
  expect(await waitFor(() => remaining([tree.first]).length === 0, 5000)).toBe(true);
}

const SEQ = Array.from({ length: 20_000 }, (_, k) => `${k + 1}\n`).join('');

describe('the served job status comes before the mount namespace teardown', () => {
  it('exits on its own: exit code, stdout and stderr exact (10 runs), its leftover child reaped by the answer', async ({ skip }) => {
    if (!sandbox) return skip('needs root and a C compiler for the helper');
    for (let i = 0; i < 10; i++) {
      const running = job('/bin/sh', ['-c', 'sleep 300 & sleep 1; seq 20000; printf err >&2; exit 3']);
      const tree = i === 0 ? await jobTree(2) : undefined;
      const r = await running;
      expect(r).toMatchObject({ exitCode: 3, signal: null, stdout: SEQ, stderr: 'err', timedOut: false, cancelled: false });
      expect(r.spawnError).toBeUndefined();
      if (tree) await expectAllGone(tree);
    }
  }, 60_000);

  it("at the deadline: the job's SIGTERM handler ends it, its exit code and output exact", async ({ skip }) => {
    if (!sandbox) return skip('needs root and a C compiler for the helper');
    // As init of its PID namespace the job gets the group's SIGTERM only through a handler (pid_namespaces(7)).
    const running = job('/bin/sh', ['-c', 'trap "echo term; exit 7" TERM; sleep 300 & wait'], { timeoutMs: 800, killGraceMs: 10_000 });
    const tree = await jobTree(1);
    const r = await running;
    expect(r).toMatchObject({ exitCode: 7, signal: null, timedOut: true, cancelled: false, stdout: 'term\n', stderr: '' });
    await expectAllGone(tree);
  });

  it('killed by a signal of its own making (SIGSEGV): that signal is its status', async ({ skip }) => {
    if (!sandbox) return skip('needs root and a C compiler for the helper');
    if (!existsSync(PYTHON)) return skip(`${PYTHON} not installed`);
    const r = await job(PYTHON, ['-c', 'import ctypes, sys; print("up", flush=True); ctypes.string_at(0)']);
    expect(r).toMatchObject({ exitCode: null, signal: 'SIGSEGV', timedOut: false, cancelled: false, stdout: 'up\n', stderr: '' });
  });

  it('at the deadline, a job ignoring SIGTERM is killed after the grace (SIGKILL), children and all', async ({ skip }) => {
    if (!sandbox) return skip('needs root and a C compiler for the helper');
    const running = job('/bin/sh', ['-c', 'trap "" TERM; echo up; sleep 300 & sleep 300'], { timeoutMs: 800, killGraceMs: 200 });
    const tree = await jobTree(2);
    const r = await running;
    expect(r).toMatchObject({ exitCode: null, signal: 'SIGKILL', timedOut: true, cancelled: false, stdout: 'up\n', stderr: '' });
    await expectAllGone(tree);
  });

  it('cancelled (SIGUSR1 to its first process, which SIGKILLs it): SIGKILL, children and all', async ({ skip }) => {
    if (!sandbox) return skip('needs root and a C compiler for the helper');
    const ac = new AbortController();
    const running = job('/bin/sh', ['-c', 'echo up; sleep 300 & sleep 300'], { signal: ac.signal });
    const tree = await jobTree(2);
    ac.abort();
    const r = await running;
    expect(r).toMatchObject({ exitCode: null, signal: 'SIGKILL', timedOut: false, cancelled: true, stdout: 'up\n', stderr: '' });
    await expectAllGone(tree);
  });

  it("its first process holds the job's mount namespace; the job has only fds 0, 1 and 2", async ({ skip }) => {
    if (!sandbox) return skip('needs root and a C compiler for the helper');
    const ac = new AbortController();
    const running = job('/usr/bin/sleep', ['300'], { signal: ac.signal });
    const tree = await jobTree(0);
    // Until its exec the job is a clone of its first process with that one's fds (all close-on-exec): wait for sleep.
    const cmdline = (): string => (existsSync(`/proc/${tree.job}/cmdline`) ? readFileSync(`/proc/${tree.job}/cmdline`, 'utf8') : '');
    expect(await waitFor(() => cmdline().startsWith('/usr/bin/sleep'), 10_000)).toBe(true);
    try {
      const jobNs = readlinkSync(`/proc/${tree.job}/ns/mnt`);
      expect(jobNs).not.toBe(readlinkSync('/proc/self/ns/mnt')); // its own namespace: the filesystem view
      // Right after the exec the dynamic loader has a library open (fd 3) for a moment: what stays is what it was given.
      await waitFor(() => readdirSync(`/proc/${tree.job}/fd`).length <= 3, 2000);
      expect(readdirSync(`/proc/${tree.job}/fd`).sort()).toEqual(['0', '1', '2']);
      // The first process opens it once its clone call returns (early-status.h), which under load can come a moment
      // after the job's exec: wait for it, and fail if it never comes.
      const link = (fd: string): string => {
        try {
          return readlinkSync(`/proc/${tree.first}/fd/${fd}`);
        } catch {
          return ''; // closed between the listing and the read
        }
      };
      const held = (): string[] => readdirSync(`/proc/${tree.first}/fd`).map(link);
      await waitFor(() => held().includes(jobNs), 2000);
      expect(held()).toContain(jobNs);
    } finally {
      ac.abort();
    }
    expect((await running).cancelled).toBe(true);
    await expectAllGone(tree);
  });
});
