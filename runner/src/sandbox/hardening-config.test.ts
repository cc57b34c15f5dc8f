import { afterAll, describe, expect, it } from 'vitest';
import { loadRunnerConfig } from '../config';
import { probeSandbox } from './capabilities';
import { missingProtections } from './hardening-config';
import { runSandboxed } from './spawn';
import { removeTempDirs } from './testing';
import { activeProtections } from './wrapper';

afterAll(removeTempDirs);

const LIMITS = { cpuSec: 10, memoryMb: 256, maxFds: 64 };

const base = { NETDIAG_API_URL: 'http://127.0.0.1:9', NETDIAG_RUNNER_TOKEN: 'config-test-token-0123456789' };
const hardening = (env: Record<string, string>) => loadRunnerConfig({ ...base, ...env }).sandbox.hardening;

describe('hardening settings', () => {
  it('hardens by default: nobody:nogroup, seccomp, read-only filesystem hiding the runner own files, exec restriction', () => {
    const h = hardening({ MCP_CONFIG_FILE: '/etc/netdiag/runner.json', NETDIAG_CLIENT_KEY_FILE: '/etc/netdiag/key.pem' });
    expect(h.wanted).toEqual({
      identity: { uid: 65534, gid: 65534 },
      seccomp: true,
      filesystem: { tmpMb: 64, hide: ['/etc/netdiag/runner.json', '/etc/netdiag/key.pem'] },
      exec: true,
    });
    expect(h.require).toEqual([]);
  });

  it('takes the operator user, /tmp size, extra hidden paths and required protections', () => {
    const h = hardening({
      NETDIAG_SANDBOX_USER: '990:991',
      NETDIAG_SANDBOX_TMP_MB: '8',
      NETDIAG_SANDBOX_HIDE: '/var/lib/netdiag:/var/log/netdiag',
      NETDIAG_SANDBOX_REQUIRE: 'identity, seccomp,filesystem',
    });
    expect(h.wanted).toMatchObject({ identity: { uid: 990, gid: 991 }, filesystem: { tmpMb: 8, hide: ['/var/lib/netdiag', '/var/log/netdiag'] } });
    expect(h.require).toEqual(['identity', 'seccomp', 'filesystem']);
  });

  it.each([
    [{ NETDIAG_SANDBOX_USER: '0:0' }, /NETDIAG_SANDBOX_USER/],
    [{ NETDIAG_SANDBOX_USER: 'nobody' }, /NETDIAG_SANDBOX_USER/],
    [{ NETDIAG_SANDBOX_REQUIRE: 'identity,apparmor' }, /unknown protection "apparmor"/],
    [{ NETDIAG_SANDBOX_HIDE: 'relative/path' }, /must be absolute/],
    [{ NETDIAG_SANDBOX_HIDE: Array.from({ length: 9 }, (_, i) => `/x${i}`).join(':') }, /at most 8/],
  ])('refuses %o', (env, message) => {
    expect(() => hardening(env)).toThrow(message);
  });

  it('turns off with NETDIAG_SANDBOX_HARDEN=false, and a requirement then names what is missing', () => {
    const h = hardening({ NETDIAG_SANDBOX_HARDEN: 'false', NETDIAG_SANDBOX_REQUIRE: 'pidns,seccomp' });
    expect(h.wanted).toBeUndefined();
    expect(missingProtections(h.require, ['rlimits', 'pdeathsig', 'pidns'])).toEqual(['seccomp']);
  });
});

describe('degrading loudly without the helper', () => {
  it('util-linux gives the identity drop (setpriv) and says that seccomp, the filesystem view and exec need the helper', async () => {
    const wanted = hardening({}).wanted;
    const { sandbox, notes } = await probeSandbox({ hardening: wanted });
    expect(sandbox.mode).toBe('util-linux');
    expect(activeProtections(sandbox)).toEqual(['rlimits', 'pdeathsig', 'pidns', 'identity']);
    expect(notes.join('\n')).toMatch(/seccomp needs the netdiag-sandbox helper/);
    expect(notes.join('\n')).toMatch(/filesystem needs the netdiag-sandbox helper/);
    expect(notes.join('\n')).toMatch(/exec needs the netdiag-sandbox helper/);
    const run = (file: string, args: string[], netRaw: boolean) =>
      runSandboxed({ file, args, timeoutMs: 10_000, maxStdoutBytes: 65_536, maxStderrBytes: 4096, confine: { sandbox, limits: LIMITS, netRaw } });
    const status = await run('/bin/cat', ['/proc/self/status'], false);
    expect(status.stdout).toMatch(/^Uid:\s+65534\s+65534\s/m);
    expect(status.stdout).toMatch(/^CapBnd:\s+0{16}$/m);
    expect(status.stdout).toMatch(/^NoNewPrivs:\s+1$/m);
    // The declared raw socket still works through setpriv's ambient capability; undeclared, ping has none.
    expect((await run('/usr/bin/ping', ['-n', '-c', '1', '127.0.0.1'], true)).exitCode).toBe(0);
    expect((await run('/usr/bin/ping', ['-n', '-c', '1', '127.0.0.1'], false)).exitCode).not.toBe(0);
  });
});
