/**
 * Warm job processes (warm-pool.ts, native/warm.h) through the real spawn server with the real helper, fully hardened:
 * a job served by a process prepared ahead shows exactly the hardening of a cold one and has only fds 0, 1, 2; a warm
 * process prepared for one binary is never used for another (nor for other limits, nor another capability); one left
 * unused past its idle limit is killed, its cgroup removed, and the next job still runs; one whose profile was used
 * lately is replaced by a fresh one (WARM_KEEP_MS). Root and gcc only. No network.
 */
import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { childrenOf } from '../../../test/helpers/proc-watch';
import { probeSandbox } from './capabilities';
import type { SpawnResult } from './spawn';
import { spawnServerFor, stopSpawnServers } from './spawn-server';
import { buildHelper, isAlive, endServedSuite, sandboxedJobs, waitFor } from './testing';
import { setWarmJobsEnabled, warmJobCount } from './warm-pool';
import { type Sandbox, wrapCommand } from './wrapper';

const LIMITS = { cpuSec: 30, memoryMb: 256, maxFds: 64 };
const SLEEP = '/usr/bin/sleep';
let sandbox: Sandbox | undefined;
let helper = '';

beforeAll(async () => {
  const built = process.getuid?.() === 0 ? await buildHelper() : undefined;
  if (!built) return;
  helper = built;
  const hardening = { identity: { uid: 65534, gid: 65534 }, seccomp: true, filesystem: { tmpMb: 8, hide: [] }, exec: true };
  const probe = await probeSandbox({ helperPath: built, hardening, cgroups: true });
  expect(probe.notes).toEqual([]);
  sandbox = probe.sandbox;
}, 120_000);
afterAll(endServedSuite);

// A fresh server (and so an empty pool) per test: no warm process of another test's profile is left to confuse it.
beforeEach(() => {
  setWarmJobsEnabled(true);
  stopSpawnServers();
});

const job = sandboxedJobs(() => sandbox, LIMITS);

async function serverPid(): Promise<number> {
  const s = await spawnServerFor(helper);
  if (!s?.pid) throw new Error('no spawn server');
  return s.pid;
}

/** The warm process (a server's child) whose clone waits for its arguments, not yet exec'd: still the helper. */
async function warmProcess(): Promise<{ first: number; waiting: number }> {
  const server = await serverPid();
  const argv0 = (pid: number): string => readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0] ?? '';
  let warm = { first: 0, waiting: 0 };
  const found = await waitFor(() => {
    for (const first of childrenOf(server)) {
      const waiting = childrenOf(first)[0] ?? 0;
      try {
        if (waiting > 0 && argv0(waiting) === helper && readFileSync(`/proc/${waiting}/status`, 'utf8').includes('Seccomp:\t2')) {
          warm = { first, waiting };
          return true;
        }
      } catch {
        // gone meanwhile
      }
    }
    return false;
  }, 10_000);
  if (!found) throw new Error('no warm process');
  return warm;
}

interface Seen {
  first: number;
  job: number;
  status: Record<string, string>;
  mnt: string;
  cgroup: string;
  fds: string[];
  limits: string;
}

/** `sleep 300` as a job, seen from outside once it has exec'd, then cancelled. `first`: its first process (the server's child). */
async function seeSleeper(busy: readonly number[], more: Parameters<typeof job>[2] = {}): Promise<Seen & { result: SpawnResult }> {
  const server = await serverPid();
  const ac = new AbortController();
  const running = job(SLEEP, ['300'], { signal: ac.signal, ...more });
  let seen: Seen | undefined;
  const found = await waitFor(() => {
    for (const first of childrenOf(server).filter((p) => !busy.includes(p))) {
      const child = childrenOf(first)[0] ?? 0;
      try {
        if (!readFileSync(`/proc/${child}/cmdline`, 'utf8').startsWith(SLEEP)) continue;
        const lines = readFileSync(`/proc/${child}/status`, 'utf8').split('\n');
        const status = Object.fromEntries(lines.map((l) => l.split(':\t')).filter((kv) => kv.length === 2)) as Record<string, string>;
        const mnt = readlinkSync(`/proc/${child}/ns/mnt`);
        const cgroup = readFileSync(`/proc/${child}/cgroup`, 'utf8');
        seen = { first, job: child, status, mnt, cgroup, fds: [], limits: readFileSync(`/proc/${child}/limits`, 'utf8') };
        return true;
      } catch {
        // not there yet, or gone
      }
    }
    return false;
  }, 10_000);
  if (!found || !seen) throw new Error('the sleeper job did not show up');
  // Right after its exec the dynamic loader has a library open (fd 3) for a moment: what stays is what it was given.
  const fds = (): string[] => readdirSync(`/proc/${seen?.job ?? 0}/fd`).sort();
  await waitFor(() => fds().length <= 3, 2000);
  seen.fds = fds();
  ac.abort();
  const result = await running;
  return { ...seen, result };
}

const HARDENING_FIELDS = ['Uid', 'Gid', 'Groups', 'CapInh', 'CapPrm', 'CapEff', 'CapBnd', 'CapAmb', 'NoNewPrivs', 'Seccomp'];
const pick = (s: Record<string, string>): Record<string, string | undefined> => Object.fromEntries(HARDENING_FIELDS.map((f) => [f, s[f]]));

describe('warm job processes', () => {
  it('a warm job has exactly the hardening of a cold one, its own mount namespace and cgroup, and fds 0, 1, 2 only', async ({ skip }) => {
    if (!sandbox) return skip('needs root and a C compiler for the helper');
    const cold = await seeSleeper([]);
    expect(cold.result.cancelled).toBe(true);
    const warm = (await warmProcess()).first;
    expect(warm).not.toBe(cold.first);
    const served = await seeSleeper([cold.first]);
    expect(served.first).toBe(warm); // prepared before this job was asked for: it only got its arguments
    expect(served.result.cancelled).toBe(true);
    expect(pick(served.status)).toEqual(pick(cold.status));
    expect(served.status).toMatchObject({ Uid: '65534\t65534\t65534\t65534', NoNewPrivs: '1', Seccomp: '2', CapEff: '0000000000000000' });
    expect(served.status['CapBnd']).toBe('0000000000000000');
    expect(served.mnt).not.toBe(readlinkSync('/proc/self/ns/mnt'));
    expect(served.cgroup).not.toBe(readFileSync('/proc/self/cgroup', 'utf8'));
    expect(served.cgroup).not.toBe(cold.cgroup); // a cgroup of its own, not the previous job's
    expect(served.fds).toEqual(['0', '1', '2']);
    expect(cold.fds).toEqual(['0', '1', '2']);
    expect(served.limits).toBe(cold.limits);
  }, 60_000);

  it('a warm process prepared for one binary is never used for another: that job starts cold and runs its own binary', async ({ skip }) => {
    if (!sandbox) return skip('needs root and a C compiler for the helper');
    const first = await job(SLEEP, ['0']);
    expect(first.exitCode).toBe(0);
    const warm = (await warmProcess()).first;
    const echo = await job('/usr/bin/echo', ['not', 'sleep']);
    expect(echo).toMatchObject({ exitCode: 0, stdout: 'not sleep\n', stderr: '' });
    expect(isAlive(warm)).toBe(true); // still waiting for a sleep job
    const again = await job(SLEEP, ['0']);
    expect(again).toMatchObject({ exitCode: 0, stderr: '' });
    expect(await waitFor(() => !isAlive(warm), 5000)).toBe(true); // that one took it
  }, 60_000);

  it('the arguments cannot pick the binary: they come after the one the process was prepared for, which it execs', async ({ skip }) => {
    if (!sandbox) return skip('needs root and a C compiler for the helper');
    const server = await spawnServerFor(helper);
    if (!server?.pid) throw new Error('no spawn server');
    const prepared = wrapCommand(sandbox, LIMITS, { file: SLEEP, args: [] }, server.pid).args;
    const run = (warmArgs: string[], args: string[]): Promise<{ code: number | null; out: string; err: string }> => {
      const w = server.spawn(warmArgs, true);
      let out = '';
      let err = '';
      w.stdout.on('data', (b: Buffer) => (out += b.toString()));
      w.stderr.on('data', (b: Buffer) => (err += b.toString()));
      server.giveArgs(w, args);
      return new Promise((resolve) => w.once('close', (code) => resolve({ code, out, err })));
    };
    const id = await run(prepared, ['/usr/bin/id']);
    expect(id.out).toBe(''); // not id's uid=...
    expect(id).toMatchObject({ code: 1, err: expect.stringContaining("sleep: invalid time interval '/usr/bin/id'") as unknown });
    // A warm request whose argv goes on past the binary is refused before anything runs (native/warm.h).
    expect(await run([...prepared, '0'], ['0'])).toMatchObject({ code: 125, out: '' });
    expect((await run(prepared, ['0'])).code).toBe(0);
  }, 60_000);

  it('other limits or another capability than the warm process was made with: served cold', async ({ skip }) => {
    if (!sandbox) return skip('needs root and a C compiler for the helper');
    await job(SLEEP, ['0']);
    const warm = (await warmProcess()).first;
    const otherMemory = await seeSleeper([warm], { confine: { sandbox, limits: { ...LIMITS, memoryMb: 200 } } });
    expect(otherMemory.first).not.toBe(warm);
    expect(otherMemory.limits).toMatch(new RegExp(`Max address space\\s+${200 * 1_048_576}\\s`));
    const netRaw = await seeSleeper([warm], { confine: { sandbox, limits: LIMITS, netRaw: true } });
    expect(netRaw.first).not.toBe(warm);
    expect(netRaw.status['CapEff']).toBe('0000000000002000'); // CAP_NET_RAW, as asked; the warm one has none
    expect(isAlive(warm)).toBe(true);
  }, 60_000);

  it("a job's clean-up and the next warm process go where `later` says (the runner holds them until its report is acknowledged)", async ({ skip }) => {
    if (!sandbox) return skip('needs root and a C compiler for the helper');
    const held: Array<() => void> = [];
    const first = await job(SLEEP, ['0'], { later: (work) => held.push(work) });
    expect(first.exitCode).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(held).toHaveLength(2); // its cgroup's removal and the next warm process, nothing done yet
    expect(warmJobCount()).toBe(0);
    for (const work of held) work();
    await warmProcess();
    expect(warmJobCount()).toBe(1);
  }, 60_000);

  it('a job that comes before the server has answered for its warm process is served by it, not cold beside it', async ({ skip }) => {
    if (!sandbox) return skip('needs root and a C compiler for the helper');
    const held: Array<() => void> = [];
    await job(SLEEP, ['0'], { later: (work) => held.push(work) });
    for (const work of held) work(); // the report acknowledged: the next warm process is asked for now
    expect(warmJobCount()).toBe(1);
    const next = job(SLEEP, ['0']); // in the same turn, as a claim read with the acknowledgement: no answer read yet
    expect(warmJobCount()).toBe(0);
    expect(await next).toMatchObject({ exitCode: 0, stderr: '', stdout: '' });
    await warmProcess(); // and the one after it is prepared as usual
    expect(warmJobCount()).toBe(1);
  }, 60_000);

  it('a warm process unused past its idle limit is killed and its cgroup removed; the next job still runs', async ({ skip }) => {
    if (!sandbox) return skip('needs root and a C compiler for the helper');
    setWarmJobsEnabled(true, 300, 0); // no renewal: the next test has that
    try {
      await job(SLEEP, ['0']);
      const { first: warm, waiting } = await warmProcess();
      // Its job cgroup directories ("N:pids:/path" in v1, "0::/path" in v2), joined while it was prepared.
      const dirs = readFileSync(`/proc/${waiting}/cgroup`, 'utf8')
        .trim()
        .split('\n')
        .map((l) => l.split(':'))
        .filter(([, , path = '']) => path.includes('netdiag-job-'))
        .map(([, list = '', path = '']) => `/sys/fs/cgroup${list === '' ? '' : `/${list}`}${path}`)
        .filter((d) => existsSync(d));
      expect(dirs.length).toBeGreaterThan(0);
      expect(await waitFor(() => !isAlive(warm) && !isAlive(waiting), 5000)).toBe(true);
      expect(await waitFor(() => dirs.every((d) => !existsSync(d)), 5000)).toBe(true);
      const next = await job('/usr/bin/echo', ['after']);
      expect(next).toMatchObject({ exitCode: 0, stdout: 'after\n' });
    } finally {
      setWarmJobsEnabled(true);
    }
  }, 60_000);

  it('past its idle limit a warm process is replaced by a fresh one while its profile was used lately, and then no longer', async ({ skip }) => {
    if (!sandbox) return skip('needs root and a C compiler for the helper');
    setWarmJobsEnabled(true, 400, 1000);
    try {
      await job(SLEEP, ['0']);
      const first = await warmProcess();
      expect(await waitFor(() => !isAlive(first.waiting), 5000)).toBe(true);
      const renewed = await warmProcess(); // made when the first was killed, for the same profile
      expect(renewed.waiting).not.toBe(first.waiting);
      expect(warmJobCount()).toBe(1);
      // A second after that job, the next idle limit kills the warm process and makes none.
      expect(await waitFor(() => warmJobCount() === 0 && !isAlive(renewed.waiting), 5000)).toBe(true);
      expect(await waitFor(() => childrenOf(renewed.first).length === 0 && !isAlive(renewed.first), 5000)).toBe(true);
      const next = await job(SLEEP, ['0']); // still runs, cold
      expect(next).toMatchObject({ exitCode: 0, stderr: '', stdout: '' });
    } finally {
      setWarmJobsEnabled(true);
    }
  }, 60_000);
});
