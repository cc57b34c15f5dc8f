/**
 * What joining a job's cgroup costs in the helper's two ways (runner/src/sandbox/native/harden-cgroup.h): a fresh
 * process writes "0" to `cgroup.procs` or to `tasks` of a job cgroup, alternating, back to back and with pauses between
 * writes. `cgroup.procs` takes the kernel's global threadgroup lock for writing, which after about one RCU grace period
 * without a writer waits for a grace period first; `tasks` moves the calling thread alone, without it. Back to back the
 * two look alike, which hid the difference (docs/security.md, "Sandbox"). cgroup v1 only (v2 has no `tasks`); needs
 * root and gcc, says why and prints nothing else otherwise. Figures only. No network.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createJobCgroup, detectCgroups, removeJobCgroup } from '../runner/src/sandbox/cgroup';
import { REPO_ROOT } from '../runner/src/sandbox/testing';
import { summarize } from './stats';

const GAPS_US = [0, 2000, 30_000];

export async function benchCgroupJoin(runs = Number(process.env['RUNS'] ?? 100)): Promise<void> {
  const layout = detectCgroups().layout;
  if (process.getuid?.() !== 0 || layout?.version !== 1) {
    process.stdout.write('\ncgroup join skipped: needs root and cgroup v1 (v2 has no tasks file)\n');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'netdiag-cgroup-join-'));
  const cgroups = createJobCgroup(layout, { maxProcesses: 16, memoryMb: 64 });
  try {
    const bin = join(dir, 'cgroup-join');
    execFileSync('/usr/bin/gcc', ['-O2', '-Wall', '-Wextra', '-Werror', '-o', bin, join(REPO_ROOT, 'bench', 'cgroup-join.c')]);
    const pids = cgroups.find((d) => d.includes('/pids/')) ?? cgroups[0] ?? '';
    const out = execFileSync(bin, [pids, String(runs), ...GAPS_US.map(String)], { encoding: 'utf8' });
    const samples = new Map<string, number[]>();
    for (const line of out.trim().split('\n')) {
      const [file = '', gap = '', us = ''] = line.split('\t');
      const key = `${file}\t${gap}`;
      samples.set(key, [...(samples.get(key) ?? []), Number(us) / 1000]);
    }
    process.stdout.write(`\ncgroup join: a fresh process writes "0" (bench/cgroup-join.c, ${runs} writes of each, alternating), ms\n`);
    for (const gap of GAPS_US) {
      const cell = (file: string): string => {
        const s = summarize(samples.get(`${file}\t${gap}`) ?? []);
        return `median ${s.median.toFixed(3)} p95 ${s.p95.toFixed(3)}`;
      };
      process.stdout.write(`  ${`${gap / 1000} ms between writes:`.padEnd(26)} cgroup.procs ${cell('cgroup.procs')}   tasks ${cell('tasks')}\n`);
    }
  } finally {
    removeJobCgroup(cgroups);
    rmSync(dir, { recursive: true, force: true });
  }
}
