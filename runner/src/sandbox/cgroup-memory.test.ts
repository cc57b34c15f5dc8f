/**
 * The per-job memory cgroup limit on its own (docs/security.md, "Sandbox"): the job's address-space rlimit is set far
 * above the cgroup's memory limit, so only the cgroup can stop an allocation past it. Needs root, gcc and writable
 * cgroups (this lab host: v1 pids + memory); elsewhere the tests skip. No network at all.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CgroupLayout, createJobCgroup, detectCgroups, removeJobCgroup } from './cgroup';
import { probeSandbox } from './capabilities';
import { runSandboxed } from './spawn';
import { buildEscapeFixture, buildHelper, removeTempDirs } from './testing';
import { type Sandbox, wrapCommand } from './wrapper';

const CGROUP_MB = 48;
// The rlimit the helper sets: 16 times the cgroup limit, so a 256 MiB allocation fits it and only the cgroup refuses.
const LIMITS = { cpuSec: 30, memoryMb: CGROUP_MB * 16, maxFds: 64 };
const outside = mkdtempSync('/var/tmp/netdiag-cgroup-memory-');

let sandbox: Sandbox | undefined;
let layout: CgroupLayout | undefined;
let escape = '';

beforeAll(async () => {
  const found = detectCgroups();
  const helper = process.getuid?.() === 0 && found.layout ? await buildHelper() : undefined;
  if (!helper || !found.layout) return;
  escape = await buildEscapeFixture(outside);
  // The helper with the PID namespace and nothing else: the cgroup is joined with --cgroup, as spawn.ts does it.
  sandbox = (await probeSandbox({ helperPath: helper })).sandbox;
  layout = found.layout;
}, 120_000);

afterAll(() => {
  rmSync(outside, { recursive: true, force: true });
  removeTempDirs();
});

/** The memory cgroup's own count of limit hits (v1 memory.failcnt) or OOM kills (v2 memory.events oom_kill). */
function memoryHits(dirs: readonly string[]): number {
  for (const dir of dirs) {
    if (existsSync(join(dir, 'memory.failcnt'))) return Number(readFileSync(join(dir, 'memory.failcnt'), 'utf8').trim());
    if (existsSync(join(dir, 'memory.events'))) return Number(/^oom_kill (\d+)$/m.exec(readFileSync(join(dir, 'memory.events'), 'utf8'))?.[1] ?? 0);
  }
  throw new Error('no memory controller in the job cgroups');
}

/** Run `escape alloc MIB` in a fresh job cgroup of CGROUP_MB; returns the outcome and the cgroup's hit count. */
async function allocate(mib: number) {
  if (!sandbox || !layout) throw new Error('no helper');
  const sb: Sandbox = { ...sandbox, hardening: { cgroup: layout } };
  const dirs = createJobCgroup(layout, { maxProcesses: 16, memoryMb: CGROUP_MB });
  try {
    const cmd = wrapCommand(sb, LIMITS, { file: escape, args: ['alloc', String(mib)], cgroups: dirs });
    const r = await runSandboxed({ file: cmd.file, args: cmd.args, timeoutMs: 20_000, maxStdoutBytes: 4096, maxStderrBytes: 4096 });
    return { r, hits: memoryHits(dirs) };
  } finally {
    removeJobCgroup(dirs);
  }
}

describe('the per-job memory cgroup, with the rlimit out of the way', () => {
  it('a job that touches more memory than its cgroup allows is killed, and the cgroup counted it', async () => {
    if (!sandbox) return;
    const { r, hits } = await allocate(CGROUP_MB * 4);
    // The kernel's OOM killer ends it with SIGKILL; the helper re-raises its job's signal (netdiag-sandbox.c).
    expect(r.stdout).toBe('');
    expect(r.signal).toBe('SIGKILL');
    expect(r.timedOut).toBe(false);
    expect(hits).toBeGreaterThan(0);
  }, 30_000);

  it('control: the same job below the limit finishes, so the kill above is the cgroup', async () => {
    if (!sandbox) return;
    const { r, hits } = await allocate(CGROUP_MB / 4);
    expect(r.exitCode).toBe(0);
    expect(hits).toBe(0);
  }, 30_000);
});
