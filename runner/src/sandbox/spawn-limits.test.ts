/** What a confined job sees: its rlimits, a scrubbed environment, bounded output; real tools still work. */
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeSandbox } from './capabilities';
import type { ProcessLimits } from './limits';
import { runSandboxed, type SpawnRequest } from './spawn';
import { buildHelper, fixture, removeTempDirs } from './testing';
import type { Sandbox } from './wrapper';

const MIB = 1_048_576;
const limits: ProcessLimits = { cpuSec: 17, memoryMb: 300, maxFds: 123 };
const base = { timeoutMs: 10_000, maxStdoutBytes: MIB, maxStderrBytes: 256 * 1024 };
afterAll(removeTempDirs);
const sandboxes = new Map<string, Sandbox>();

beforeAll(async () => {
  sandboxes.set('util-linux', (await probeSandbox()).sandbox);
  const helperPath = await buildHelper();
  if (helperPath) sandboxes.set('helper', (await probeSandbox({ helperPath })).sandbox);
});

function run(mode: string, req: Omit<SpawnRequest, keyof typeof base> & Partial<SpawnRequest>, l: ProcessLimits = limits): ReturnType<typeof runSandboxed> {
  const sandbox = sandboxes.get(mode);
  if (!sandbox) throw new Error(`no ${mode} sandbox here`);
  return runSandboxed({ ...base, ...req, confine: { sandbox, limits: l } });
}

function limitLine(limitsText: string, name: string): string[] {
  const line = limitsText.split('\n').find((l) => l.startsWith(name)) ?? '';
  return line.slice(name.length).trim().split(/\s+/).slice(0, 2);
}

describe.each(['util-linux', 'helper'])('%s sandbox', (mode) => {
  it('applies the configured rlimits, soft and hard', async ({ skip }) => {
    if (!sandboxes.has(mode)) return skip('no C compiler for the helper');
    const r = await run(mode, { file: fixture('print-limits'), args: [] });
    expect(r.exitCode).toBe(0);
    expect(r.sandboxMode).toBe(mode);
    expect(limitLine(r.stdout, 'Max cpu time')).toEqual(['17', '17']);
    expect(limitLine(r.stdout, 'Max address space')).toEqual([String(300 * MIB), String(300 * MIB)]);
    expect(limitLine(r.stdout, 'Max open files')).toEqual(['123', '123']);
    expect(limitLine(r.stdout, 'Max core file size')).toEqual(['0', '0']);
  });

  it('passes only the allowlisted environment, whatever the runner has', async ({ skip }) => {
    if (!sandboxes.has(mode)) return skip('no C compiler for the helper');
    const planted = { LD_PRELOAD: '/nonexistent/evil.so', NMAPDIR: '/tmp/evil-nmap', MTR_OPTIONS: '-F /etc/shadow', MTR_PACKET: '/tmp/evil' };
    const saved = Object.fromEntries(Object.keys(planted).map((k) => [k, process.env[k]]));
    Object.assign(process.env, planted);
    try {
      const r = await run(mode, { file: '/usr/bin/env', args: [] });
      expect(r.exitCode).toBe(0);
      expect(r.stdout.trim().split('\n').sort()).toEqual(['LANG=C', 'LC_ALL=C', 'PATH=/usr/sbin:/usr/bin:/sbin:/bin']);
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });
});

describe('output flood (100 MB to stdout, 1 MiB cap)', () => {
  const FLOOD = 100 * MIB;

  async function measured(req: Partial<SpawnRequest>): Promise<{ r: Awaited<ReturnType<typeof runSandboxed>>; growthMb: number }> {
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 5);
    try {
      const r = await run('util-linux', { file: fixture('flood'), args: [String(FLOOD)], ...req });
      peak = Math.max(peak, process.memoryUsage().rss);
      return { r, growthMb: (peak - before) / MIB };
    } finally {
      clearInterval(sampler);
    }
  }

  it('kills the job at the cap by default and keeps exactly the cap', async () => {
    const { r, growthMb } = await measured({});
    expect(r.stdoutTruncated).toBe(true);
    expect(r.killedAtOutputCap).toBe(true);
    expect(Buffer.byteLength(r.stdout)).toBe(MIB);
    expect(r.stdoutBytesSeen ?? 0).toBeLessThan(FLOOD);
    expect(growthMb).toBeLessThan(50 + 1);
  });

  it("with 'drain' reads everything, keeps the cap and stays bounded", async () => {
    const { r, growthMb } = await measured({ stdoutCapAction: 'drain', timeoutMs: 30_000 });
    expect(r.exitCode).toBe(0);
    expect(r.stderr.trim()).toBe('done');
    expect(r.stdoutTruncated).toBe(true);
    expect(r.killedAtOutputCap).toBe(false);
    expect(r.stdoutBytesSeen).toBe(FLOOD);
    expect(Buffer.byteLength(r.stdout)).toBe(MIB);
    expect(growthMb).toBeLessThan(50 + 1);
  });
});

// Real binaries, loopback only: the 512 MiB address-space default must leave every tool working.
describe('real tools against 127.0.0.1 under MCP_MAX_MEMORY_MB=512', () => {
  const tools: Array<[string, string[], number]> = [
    ['/usr/bin/ping', ['-n', '-c', '1', '-W', '1', '--', '127.0.0.1'], 0],
    ['/usr/bin/nmap', ['-n', '-Pn', '--noninteractive', '-p', '1', '-oX', '-', '127.0.0.1'], 0],
    ['/usr/sbin/traceroute', ['-n', '-m', '1', '-q', '1', '127.0.0.1'], 0],
    ['/usr/bin/mtr', ['-n', '-r', '-c', '1', '--gracetime', '1', '127.0.0.1'], 0],
    // No server on port 1: exit 9 "no servers could be reached" is dig working, not crashing.
    ['/usr/bin/dig', ['@127.0.0.1', '-p', '1', '+time=1', '+tries=1', '-q', 'probe.lab.internal'], 9],
  ];
  it.each(tools)('%s', async (file, args, exitCode) => {
    if (!existsSync(file)) return;
    const r = await run('util-linux', { file, args }, { cpuSec: 10, memoryMb: 512, maxFds: 256 });
    expect({ exitCode: r.exitCode, signal: r.signal }).toEqual({ exitCode, signal: null });
  });

  it('a too small address space makes nmap fail to start (what the limit does)', async () => {
    if (!existsSync('/usr/bin/nmap')) return;
    const r = await run('util-linux', { file: '/usr/bin/nmap', args: ['-n', '-Pn', '-p', '1', '127.0.0.1'] }, { cpuSec: 10, memoryMb: 16, maxFds: 256 });
    expect(r.exitCode).not.toBe(0);
  });
});
