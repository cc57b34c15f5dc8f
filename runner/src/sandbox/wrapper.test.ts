import { describe, expect, it } from 'vitest';
import { limitsForDeadline } from './limits';
import { describeSandbox, PROCESS_GROUP_ONLY, type Sandbox, wrapCommand } from './wrapper';

const limits = { cpuSec: 31, memoryMb: 512, maxFds: 256 };
const ping = { file: '/usr/bin/ping', args: ['-n', '-c', '1', '--', '10.0.0.1'] };
const full: Sandbox = {
  mode: 'util-linux',
  rlimits: true,
  parentDeathSignal: true,
  pidNamespace: true,
  paths: { prlimit: '/usr/bin/prlimit', setpriv: '/usr/bin/setpriv', unshare: '/usr/bin/unshare' },
};

describe('wrapCommand', () => {
  it('chains prlimit → setpriv → unshare → tool, each stage ended by --', () => {
    const cmd = wrapCommand(full, limits, ping);
    expect([cmd.file, ...cmd.args]).toEqual([
      '/usr/bin/prlimit',
      '--cpu=31',
      '--as=536870912',
      '--nofile=256',
      '--core=0',
      '--',
      '/usr/bin/setpriv',
      '--pdeathsig',
      'KILL',
      '--',
      '/usr/bin/unshare',
      '--pid',
      '--fork',
      '--kill-child',
      '--',
      '/usr/bin/ping',
      '-n',
      '-c',
      '1',
      '--',
      '10.0.0.1',
    ]);
  });

  it('leaves out the stages this host cannot do', () => {
    const noNs: Sandbox = { ...full, pidNamespace: false, paths: { prlimit: '/usr/bin/prlimit', setpriv: '/usr/bin/setpriv' } };
    const cmd = wrapCommand(noNs, limits, ping);
    expect(cmd.file).toBe('/usr/bin/prlimit');
    expect(cmd.args.slice(cmd.args.indexOf('/usr/bin/setpriv'))).toEqual(['/usr/bin/setpriv', '--pdeathsig', 'KILL', '--', ping.file, ...ping.args]);
  });

  it('uses one exec of the helper, passing the runner pid it must check', () => {
    const sb: Sandbox = { mode: 'helper', rlimits: true, parentDeathSignal: true, pidNamespace: true, paths: { helper: '/usr/local/libexec/netdiag-sandbox' } };
    const cmd = wrapCommand(sb, limits, ping, 4242);
    expect(cmd.file).toBe('/usr/local/libexec/netdiag-sandbox');
    expect(cmd.args).toEqual(['--as', '536870912', '--nofile', '256', '--cpu', '31', '--ppid', '4242', '--pidns', '--', ...[ping.file, ...ping.args]]);
  });

  it('hardens through the helper: cgroups, filesystem view, identity, CAP_NET_RAW only when declared, seccomp', () => {
    const sb: Sandbox = {
      mode: 'helper',
      rlimits: true,
      parentDeathSignal: true,
      pidNamespace: true,
      paths: { helper: '/h' },
      hardening: {
        identity: { uid: 65534, gid: 65534 },
        seccomp: true,
        filesystem: { tmpMb: 64, hide: ['/etc/netdiag/runner.yaml'] },
        cgroup: { version: 1, parents: ['/sys/fs/cgroup/pids/r'] },
      },
    };
    const hardening = (netRaw: boolean) => {
      const args = wrapCommand(sb, limits, { ...ping, netRaw, cgroups: ['/sys/fs/cgroup/pids/r/job'] }, 1).args;
      return args.slice(args.indexOf('--pidns') + 1, args.indexOf('--'));
    };
    const common = ['--cgroup', '/sys/fs/cgroup/pids/r/job', '--fs-tmp-mb', '64', '--hide', '/etc/netdiag/runner.yaml', '--uid', '65534', '--gid', '65534'];
    expect(hardening(false)).toEqual([...common, '--seccomp']);
    expect(hardening(true)).toEqual([...common, '--netraw', '--seccomp']);
  });

  it('restricts exec through the helper to the tool and the programs it declares', () => {
    const sb: Sandbox = { mode: 'helper', rlimits: true, parentDeathSignal: true, pidNamespace: true, paths: { helper: '/h' }, hardening: { exec: true } };
    const mtr = { file: '/usr/bin/mtr', args: ['-r'], execs: ['/usr/bin/mtr-packet'] };
    expect(wrapCommand(sb, limits, mtr, 1).args).toEqual([
      ...['--as', '536870912', '--nofile', '256', '--cpu', '31', '--ppid', '1', '--pidns'],
      ...['--exec-only', '--allow-exec', '/usr/bin/mtr-packet', '--', '/usr/bin/mtr', '-r'],
    ]);
    expect(wrapCommand(sb, limits, ping, 1).args).toContain('--exec-only');
    expect(wrapCommand({ ...sb, hardening: {} }, limits, mtr, 1).args).not.toContain('--exec-only');
  });

  it('drops the identity with setpriv, innermost, when only util-linux is there', () => {
    const sb: Sandbox = { ...full, hardening: { identity: { uid: 990, gid: 991 } } };
    const tail = (netRaw: boolean) => {
      const args = wrapCommand(sb, limits, { ...ping, netRaw }).args;
      return args.slice(args.lastIndexOf('/usr/bin/setpriv'));
    };
    const drop = (caps: string) => [
      '/usr/bin/setpriv',
      '--reuid=990',
      '--regid=991',
      '--clear-groups',
      `--inh-caps=${caps}`,
      `--ambient-caps=${caps}`,
      `--bounding-set=${caps}`,
      '--no-new-privs',
      '--pdeathsig',
      'KILL',
      '--',
      ping.file,
      ...ping.args,
    ];
    expect(tail(false)).toEqual(drop('-all'));
    expect(tail(true)).toEqual(drop('-all,+net_raw'));
  });

  it('runs the tool itself in process-group mode', () => {
    expect(wrapCommand(PROCESS_GROUP_ONLY, limits, ping)).toEqual(ping);
  });

  it('refuses relative paths and absurd limits instead of running unconfined', () => {
    expect(() => wrapCommand(full, limits, { file: 'ping', args: [] })).toThrow(/absolute/);
    expect(() => wrapCommand(full, { ...limits, memoryMb: 0 }, ping)).toThrow(RangeError);
    expect(() => wrapCommand(full, { ...limits, maxFds: 1.5 }, ping)).toThrow(RangeError);
    expect(() => wrapCommand(full, { ...limits, cpuSec: Number.NaN }, ping)).toThrow(RangeError);
  });

  it('describes the mode for the start-up log', () => {
    expect(describeSandbox(full)).toBe('util-linux: rlimits, pdeathsig, pid-namespace');
    expect(describeSandbox(PROCESS_GROUP_ONLY)).toMatch(/NO rlimits.*setsid escapes/);
  });
});

describe('limitsForDeadline', () => {
  it('puts the CPU limit one second above the wall-clock deadline', () => {
    expect(limitsForDeadline(30_000, 512, 256)).toEqual({ cpuSec: 31, memoryMb: 512, maxFds: 256 });
    expect(limitsForDeadline(1, 512, 256).cpuSec).toBe(2);
  });
});
