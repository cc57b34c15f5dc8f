/**
 * The resident spawn server (docs/design.md, "The resident spawn server") against Node's spawn() per job, both in helper
 * mode through runSandboxed, alternating call by call in one run. The job is `date +%s.%N`: its clock read, minus the
 * moment runSandboxed asked for the spawn, is "request → job running" (the same dynamic-loader start-up in both).
 * Also: how long the event loop was blocked in the spawn call (stage spawn → spawned), the whole call, and CPU per job
 * of this process (user + system, process.cpuUsage) and of the server (/proc, 10 ms ticks, summed over the runs).
 * The process is first grown to about the runner's RSS (~85 MB) with touched ballast: a fork's cost follows the
 * parent's page tables. No network. Alone: `npx tsx bench/spawn-server.ts` (RUNS=… to change the count).
 */
import { pathToFileURL } from 'node:url';
import { probeSandbox } from '../runner/src/sandbox/capabilities';
import { setSpawnServerEnabled, spawnServerFor, stopSpawnServers } from '../runner/src/sandbox/spawn-server';
import { buildHelper, removeTempDirs } from '../runner/src/sandbox/testing';
import { runDateJob } from './date-job';
import { cpuOf, printTable, type Summary, summarize } from './stats';

const TARGET_RSS = 85 * 1_048_576;
const VARIANTS = ['spawn server', 'Node spawn()'] as const;

interface Sample {
  blockedMs: number;
  toExecMs: number;
  totalMs: number;
  cpuMs: number;
}

export async function benchSpawnServer(runs = Number(process.env['RUNS'] ?? 200)): Promise<void> {
  const helperPath = await buildHelper();
  if (!helperPath) return void process.stdout.write('\nspawn server: no C compiler, skipped\n');
  const { sandbox } = await probeSandbox({ helperPath });
  const ballast: Buffer[] = [];
  while (process.memoryUsage().rss < TARGET_RSS) ballast.push(Buffer.alloc(4 * 1_048_576, 1));
  const rssMb = process.memoryUsage().rss / 1_048_576;
  const samples: Record<string, Sample[]> = { [VARIANTS[0]]: [], [VARIANTS[1]]: [] };
  let serverCpu = 0;
  const once = async (variant: (typeof VARIANTS)[number], keep: boolean): Promise<void> => {
    setSpawnServerEnabled(variant === 'spawn server');
    const server = variant === 'spawn server' ? await spawnServerFor(helperPath) : undefined;
    const cpu0 = process.cpuUsage();
    const server0 = cpuOf(server?.pid);
    let asked = 0;
    let blocked = 0;
    const r = await runDateJob(sandbox, (stage) => {
      if (stage === 'spawn') asked = performance.timeOrigin + performance.now();
      if (stage === 'spawned') blocked = performance.timeOrigin + performance.now() - asked;
    });
    const cpu = process.cpuUsage(cpu0);
    if (r.exitCode !== 0) throw new Error(`${variant}: ${r.spawnError ?? r.stderr}`);
    if (!keep) return;
    serverCpu += cpuOf(server?.pid) - server0;
    const ran = Number(r.stdout.trim()) * 1000;
    samples[variant]?.push({ blockedMs: blocked, toExecMs: ran - asked, totalMs: r.durationMs, cpuMs: (cpu.user + cpu.system) / 1000 });
  };
  for (let i = 0; i < 20; i++) for (const v of VARIANTS) await once(v, false);
  for (let i = 0; i < runs; i++) for (const v of i % 2 ? [...VARIANTS].reverse() : VARIANTS) await once(v, true);
  setSpawnServerEnabled(true);
  stopSpawnServers();
  removeTempDirs();
  const rows: Array<[string, Summary]> = [];
  for (const v of VARIANTS) {
    const s = samples[v] ?? [];
    rows.push([`${v}: event loop blocked in spawn`, summarize(s.map((x) => x.blockedMs))]);
    rows.push([`${v}: request → job running`, summarize(s.map((x) => x.toExecMs))]);
    rows.push([`${v}: whole runSandboxed`, summarize(s.map((x) => x.totalMs))]);
    rows.push([`${v}: this process's CPU per job`, summarize(s.map((x) => x.cpuMs))]);
  }
  printTable(`spawn server vs Node spawn() (helper mode, ${runs} alternating runs each, this process ${rssMb.toFixed(0)} MB RSS)`, rows);
  process.stdout.write(`  spawn server's own CPU per job (mean, /proc ticks)       ${((serverCpu * 1000) / runs).toFixed(3)} ms\n`);
  ballast.length = 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await benchSpawnServer();
