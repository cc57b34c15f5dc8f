import { existsSync, mkdirSync, readFileSync, utimesSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createJobCgroup, detectCgroups, removeJobCgroup } from './cgroup';

// Real cgroups of this lab host (v1 pids + memory here; v2 elsewhere); skipped where they are not writable.
const found = detectCgroups();

describe('per-job cgroups', () => {
  it('creates one below the runner with the limits written, and removes it', ({ skip }) => {
    if (!found.layout) return skip(found.why ?? 'no cgroups');
    const dirs = createJobCgroup(found.layout, { maxProcesses: 12, memoryMb: 96 });
    expect(dirs.length).toBe(found.layout.parents.length);
    for (const dir of dirs) expect(dirname(dir)).toMatch(new RegExp(`netdiag-runner-${process.pid}$`));
    const pidsDir = dirs.find((d) => existsSync(join(d, 'pids.max')));
    expect(readFileSync(join(pidsDir ?? '', 'pids.max'), 'utf8').trim()).toBe('12');
    const memory = found.layout.version === 2 ? 'memory.max' : 'memory.limit_in_bytes';
    const memDir = dirs.find((d) => existsSync(join(d, memory)));
    expect(readFileSync(join(memDir ?? '', memory), 'utf8').trim()).toBe(String(96 * 1_048_576));
    removeJobCgroup(dirs);
    for (const dir of dirs) expect(existsSync(dir)).toBe(false);
  });

  it('a job given directories made ahead still gets its own limits, and never a directory another job had', async ({ skip }) => {
    if (!found.layout) return skip(found.why ?? 'no cgroups');
    const layout = found.layout;
    const memory = layout.version === 2 ? 'memory.max' : 'memory.limit_in_bytes';
    const limitsOf = (dirs: string[]) => ['pids.max', memory].map((f) => readFileSync(join(dirs.find((d) => existsSync(join(d, f))) ?? '', f), 'utf8').trim());
    const first = createJobCgroup(layout, { maxProcesses: 12, memoryMb: 96 });
    await new Promise((r) => setImmediate(r)); // the next job's directories are made now
    const second = createJobCgroup(layout, { maxProcesses: 20, memoryMb: 128 });
    expect(limitsOf(first)).toEqual(['12', String(96 * 1_048_576)]);
    expect(limitsOf(second)).toEqual(['20', String(128 * 1_048_576)]);
    expect(second.some((d) => first.includes(d))).toBe(false);
    removeJobCgroup([...first, ...second]);
    for (const dir of [...first, ...second]) expect(existsSync(dir)).toBe(false);
  });

  it("sweeps what a runner that is gone left behind, but not a fresh job cgroup (another PID namespace's runner may be alive)", ({ skip }) => {
    if (!found.layout) return skip(found.why ?? 'no cgroups');
    // A pid above pid_max cannot be alive here.
    const parent = dirname(found.layout.parents[0] ?? '');
    const gone = join(parent, 'netdiag-runner-99999999');
    const stale = join(gone, 'netdiag-job-stale');
    const fresh = join(gone, 'netdiag-job-fresh');
    mkdirSync(stale, { recursive: true });
    mkdirSync(fresh);
    const old = new Date(Date.now() - 3_600_000);
    utimesSync(stale, old, old);
    detectCgroups();
    expect(existsSync(stale)).toBe(false);
    expect(existsSync(fresh)).toBe(true);
    removeJobCgroup([fresh, gone]);
    expect(existsSync(gone)).toBe(false);
  });
});
