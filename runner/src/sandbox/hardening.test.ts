/**
 * The hardened sandbox seen from outside and attacked from inside (docs/security.md, "Sandbox"). Needs root and gcc
 * (this lab host): elsewhere the tests skip. Loopback only: ping and nmap target 127.0.0.1; the escape fixture opens a
 * raw socket but sends nothing.
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findProcesses } from '../../../test/helpers/proc-watch';
import { probeSandbox } from './capabilities';
import { runSandboxed } from './spawn';
import { buildEscapeFixture, buildHelper, removeTempDirs, waitFor } from './testing';
import type { Hardening, Sandbox } from './wrapper';

const CAP_NET_RAW = 1n << 13n;
const LIMITS = { cpuSec: 30, memoryMb: 256, maxFds: 64 };
const MAX_PROCESSES = 16;
// Outside /tmp on purpose: every job gets its own empty /tmp, so nothing the runner keeps there is visible to it.
const outside = mkdtempSync('/var/tmp/netdiag-hardening-');
chmodSync(outside, 0o755);
const secretDir = join(outside, 'runner-state');
const tokenFile = join(secretDir, 'token');
const openSecret = join(outside, 'world-readable-config');

let sandbox: Sandbox | undefined;
let escape = '';

beforeAll(async () => {
  const helper = process.getuid?.() === 0 ? await buildHelper() : undefined;
  if (!helper) return;
  escape = await buildEscapeFixture(outside);
  mkdirSync(secretDir, { mode: 0o700 });
  writeFileSync(tokenFile, 'runner-token-0123456789', { mode: 0o600 });
  writeFileSync(openSecret, 'api-key-visible-to-all', { mode: 0o644 });
  const wanted: Hardening = {
    identity: { uid: 65534, gid: 65534 },
    seccomp: true,
    filesystem: { tmpMb: 8, hide: [secretDir, openSecret] },
    exec: true,
  };
  const probe = await probeSandbox({ helperPath: helper, hardening: wanted, cgroups: true });
  expect(probe.notes).toEqual([]);
  expect(probe.sandbox.hardening?.cgroup).toBeDefined();
  expect(probe.sandbox.hardening?.exec).toBe(true);
  sandbox = probe.sandbox;
}, 120_000);

afterAll(() => {
  rmSync(outside, { recursive: true, force: true });
  removeTempDirs();
});

/** `execs`: the other programs the job may execute (its tool's policy.execs, resolved). */
function run(file: string, args: string[], netRaw = false, execs: string[] = []) {
  if (!sandbox) throw new Error('no hardened sandbox');
  return runSandboxed({
    file,
    args,
    timeoutMs: 20_000,
    maxStdoutBytes: 65_536,
    maxStderrBytes: 65_536,
    confine: { sandbox, limits: LIMITS, netRaw, maxProcesses: MAX_PROCESSES, execs },
  });
}

/** /proc/<pid>/status fields of the job process running `binary` with `marker` among its arguments. */
async function statusWhileRunning(binary: string, marker: string): Promise<{ status: string; pid: number }> {
  let pid: number | undefined;
  await waitFor(() => {
    pid = findProcesses((argv) => argv[0] === binary && argv.includes(marker))[0]?.pid;
    return pid !== undefined;
  }, 5000);
  if (pid === undefined) throw new Error(`${binary} never showed up`);
  return { status: readFileSync(`/proc/${pid}/status`, 'utf8'), pid };
}

const field = (status: string, name: string): string | undefined => new RegExp(`^${name}:[ \\t]*(.*)$`, 'm').exec(status)?.[1]?.trim();

describe('a hardened job seen from outside', () => {
  it.each([
    ['ping', '/usr/bin/ping', ['-n', '-c', '40', '-i', '0.2', '127.0.0.1'], '40', true],
    ['nmap SYN', '/usr/bin/nmap', ['-n', '-sS', '--privileged', '--scan-delay', '100ms', '-p', '1-30', '127.0.0.1'], '--scan-delay', true],
    ['nmap connect', '/usr/bin/nmap', ['-n', '-sT', '--scan-delay', '100ms', '-p', '1-30', '127.0.0.1'], '--scan-delay', false],
  ] as const)(
    '%s: unprivileged uid, at most CAP_NET_RAW, no_new_privs, seccomp, own mount namespace',
    async (_name, binary, args, marker, netRaw) => {
      if (!sandbox) return;
      const job = run(binary, [...args], netRaw);
      const { status, pid } = await statusWhileRunning(binary, marker);
      expect(field(status, 'Uid')).toBe('65534\t65534\t65534\t65534');
      expect(field(status, 'Groups')).toBe('');
      const allowed = netRaw ? CAP_NET_RAW : 0n;
      expect(field(status, 'CapBnd')).toBe(allowed.toString(16).padStart(16, '0'));
      // At most CAP_NET_RAW: ping drops even that once its socket is open, so "at most", not "exactly".
      for (const set of ['CapEff', 'CapPrm', 'CapInh', 'CapAmb']) expect(BigInt(`0x${field(status, set) ?? 'ff'}`) & ~allowed).toBe(0n);
      expect(field(status, 'NoNewPrivs')).toBe('1');
      expect(field(status, 'Seccomp')).toBe('2');
      expect(readlinkSync(`/proc/${pid}/ns/mnt`)).not.toBe(readlinkSync('/proc/self/ns/mnt'));
      const jobCgroups = readFileSync(`/proc/${pid}/cgroup`, 'utf8');
      const dirs = jobCgroups.split('\n').filter((l) => l.includes('netdiag-job-'));
      expect(dirs.length).toBeGreaterThan(0);
      expect(jobCgroups).not.toBe(readFileSync('/proc/self/cgroup', 'utf8'));
      // v1: "8:pids:/path" below /sys/fs/cgroup/pids; v2: "0::/path" below /sys/fs/cgroup.
      const v1 = /^\d+:pids:(.*)$/m.exec(jobCgroups)?.[1];
      const pidsMax =
        v1 !== undefined ? join('/sys/fs/cgroup/pids', v1, 'pids.max') : join('/sys/fs/cgroup', /^0::(.*)$/m.exec(jobCgroups)?.[1] ?? '', 'pids.max');
      expect(readFileSync(pidsMax, 'utf8').trim()).toBe(String(MAX_PROCESSES));
      const r = await job;
      expect(r.exitCode).toBe(0);
      expect(await waitFor(() => !existsSync(pidsMax), 3000)).toBe(true); // removed right after the job ended
    },
    30_000,
  );
});

describe('escape attempts from inside a hardened job', () => {
  const refusedAttempts: Array<[string, string[], boolean]> = [
    ['write outside /tmp', ['write', '/var/tmp/escaped'], false],
    ['write to /etc', ['write', '/etc/netdiag-escaped'], false],
    ["read the runner's token file", ['read', tokenFile], false],
    ['read a world-readable runner file it must not see', ['read', openSecret], false],
    ['ptrace (PTRACE_TRACEME)', ['traceme'], false],
    ['mount a filesystem', ['mount'], false],
    ['create a user namespace', ['userns'], false],
    ['open a raw socket without the declaration', ['rawsocket'], false],
    ['allocate past the address-space rlimit', ['alloc', '1024'], false],
    ['fork past pids.max', ['fork', String(MAX_PROCESSES * 4)], false],
    ['execute /bin/sh', ['exec', '/bin/sh'], false],
    ['execute a program it was not granted', ['exec', '/usr/bin/true'], false],
    ['execute a copy of itself written to /tmp', ['tmpexec'], false],
    ['execute a copy of itself in an anonymous memfd', ['memfdexec'], false],
  ];
  it.each(refusedAttempts)('%s: refused', async (_name, args, netRaw) => {
    if (!sandbox) return;
    const r = await run(escape, args, netRaw);
    expect(r.stdout).toMatch(/^refused /);
    expect(r.exitCode).toBe(1);
  });

  it('the controls work, so the refusals above are the sandbox: /tmp is writable, a declared raw socket opens', async () => {
    if (!sandbox) return;
    expect((await run(escape, ['write', '/tmp/allowed'])).exitCode).toBe(0);
    expect((await run(escape, ['rawsocket'], true)).exitCode).toBe(0);
    expect((await run(escape, ['alloc', '16'])).exitCode).toBe(0);
    // The same exec is allowed once granted, as a tool's policy.execs grants it (mtr's mtr-packet, below).
    expect((await run(escape, ['exec', '/usr/bin/true'], false, ['/usr/bin/true'])).exitCode).toBe(0);
  });

  it('mtr runs mtr-packet, the one other program its definition declares, and fails without the grant', async () => {
    if (!sandbox || !existsSync('/usr/bin/mtr') || !existsSync('/usr/bin/mtr-packet')) return;
    const args = ['-n', '-r', '-c', '1', '127.0.0.1'];
    const granted = await run('/usr/bin/mtr', args, true, ['/usr/bin/mtr-packet']);
    expect(granted.stderr).toBe('');
    expect(granted.exitCode).toBe(0);
    expect(granted.stdout).toMatch(/127\.0\.0\.1/);
    const refused = await run('/usr/bin/mtr', args, true);
    expect(refused.exitCode).not.toBe(0);
    expect(refused.stderr).toMatch(/mtr-packet/);
  });

  it('nothing leaked to the host, and the sandbox keeps serving jobs', async () => {
    if (!sandbox) return;
    expect(() => readFileSync('/var/tmp/escaped')).toThrow();
    expect(() => readFileSync('/etc/netdiag-escaped')).toThrow();
    const r = await run('/usr/bin/ping', ['-n', '-c', '1', '127.0.0.1'], true);
    expect(r.exitCode).toBe(0);
  });
});
