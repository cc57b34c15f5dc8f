/**
 * Where the sandbox helper's hardening time goes, step by step: bench/sandbox-parts.c times the helper's own harden-*.h
 * inside a job shaped like the helper's (PID namespace, clone(CLONE_VM | CLONE_VFORK) on a fresh stack), per step the
 * wall time, the CPU time and the page faults, plus what the job's exit costs (namespaces, Landlock domain, seccomp
 * filter and cgroup leaving with it), which the runner waits for too. Variants alternate run by run. Needs root and
 * gcc with a static libc; says why and prints nothing else otherwise. Figures explained in docs/security.md, "Sandbox".
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { detectCgroups, removeJobCgroup } from '../runner/src/sandbox/cgroup';
import { REPO_ROOT } from '../runner/src/sandbox/testing';
import { summarize } from './stats';

const HARDENED = 'fs+exec+identity+seccomp';
const PARTS = ['fs', 'exec', 'identity', 'seccomp'];
const TEARDOWN = 'exit → reaped (teardown)';
const ALL_STEPS = '= all steps';

interface Samples {
  wall: number[];
  cpu: number[];
  faults: number[];
}

/** variant → step → samples, from the harness's lines "variant, step, wall µs, CPU µs, faults". */
function parse(out: string): Map<string, Map<string, Samples>> {
  const table = new Map<string, Map<string, Samples>>();
  for (const line of out.trim().split('\n')) {
    const [variant = '', step = '', wall = '', cpu = '', faults = ''] = line.split('\t');
    const steps = table.get(variant) ?? new Map<string, Samples>();
    table.set(variant, steps);
    const s = steps.get(step) ?? { wall: [], cpu: [], faults: [] };
    steps.set(step, s);
    s.wall.push(Number(wall));
    s.cpu.push(Number(cpu));
    s.faults.push(Number(faults));
  }
  return table;
}

const us = (v: number): string => v.toFixed(1).padStart(8);
const label = (variant: string): string => variant.replace(`cgroup+${HARDENED}`, 'hardened + cgroup').replace(HARDENED, 'hardened (all four)');

function row(name: string, s: Samples): string {
  const wall = summarize(s.wall);
  return `    ${name.padEnd(42)} ${us(wall.median)} ${us(wall.p95)} ${us(summarize(s.cpu).median)} ${String(summarize(s.faults).median).padStart(6)}\n`;
}

export async function benchSandboxParts(runs: number): Promise<void> {
  if (process.getuid?.() !== 0 || !existsSync('/usr/bin/gcc')) {
    process.stdout.write('\nsandbox parts skipped: needs root and gcc\n');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'netdiag-sandbox-parts-'));
  const cgroups = detectCgroups().layout;
  try {
    const bin = join(dir, 'sandbox-parts');
    const native = join(REPO_ROOT, 'runner', 'src', 'sandbox', 'native');
    execFileSync('/usr/bin/gcc', ['-static', '-O2', '-Wall', '-Wextra', '-Werror', '-I', native, '-o', bin, join(REPO_ROOT, 'bench', 'sandbox-parts.c')]);
    const parents = cgroups ? [...cgroups.parents, '-'].slice(0, 2) : ['-', '-'];
    const variants = ['none', ...PARTS, HARDENED, ...(cgroups ? ['cgroup', `cgroup+${HARDENED}`] : [])];
    const out = execFileSync(bin, [String(runs), ...parents, ...variants], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    const table = parse(out);
    const head = `    ${'µs per job'.padEnd(42)} ${'wall med'.padStart(8)} ${'wall p95'.padStart(8)} ${'CPU med'.padStart(8)} ${'faults'.padStart(6)}\n`;
    process.stdout.write(`\nsandbox hardening part by part (bench/sandbox-parts.c, ${runs} interleaved runs per variant, in-process clocks)\n${head}`);
    const full = table.get(cgroups ? `cgroup+${HARDENED}` : HARDENED);
    process.stdout.write(`  steps, all protections${cgroups ? ' and the cgroup' : ''}:\n`);
    for (const [step, s] of full ?? []) process.stdout.write(row(step, s));
    process.stdout.write('  each variant: its steps together, then its exit (the runner waits for the reap):\n');
    for (const [variant, steps] of table) {
      const all = steps.get(ALL_STEPS);
      const exit = steps.get(TEARDOWN);
      if (all) process.stdout.write(row(`${label(variant)}: steps`, all));
      if (exit) process.stdout.write(row(`${label(variant)}: exit → reaped`, exit));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
    if (cgroups) removeJobCgroup(cgroups.parents); // the per-runner directories detectCgroups made (empty again)
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  benchSandboxParts(Number(process.env['RUNS'] ?? 200)).catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  });
}
