/**
 * Warm job processes (docs/security.md, "Sandbox"; docs/design.md, "The resident spawn server"). The hardening is ~1 ms
 * of fixed kernel work per job (seccomp attach, cgroup join, mount namespace, Landlock, bounding set), none of it tied
 * to the job's arguments. So once a job of one profile has been answered, the spawn server prepares the next one
 * ahead (after the answer: its ~1 ms of hardening never competes with a job; and only once the runner's report of that
 * job has been acknowledged, so not with the API answering it either: runner/src/post-job-work.ts): a job process with the complete helper
 * option set and the same binary, hardened up to its seccomp filter, that waits for the arguments alone
 * (native/warm.h). The next job with exactly that profile hands over only its arguments.
 *
 * The profile is the helper's whole argv without the job's arguments, with the job cgroup's limits instead of its
 * directory names (each warm process has a cgroup of its own): a warm process is used only when everything the runner
 * would pass for the job's hardening is equal, the binary included. Anything else (other limits, netRaw, execs, a
 * first job) is served cold, as before. At most one per profile and MAX_WARM in all (the oldest goes first).
 */
import { type Later, immediately } from '../post-job-work';
import { createJobCgroup, removeJobCgroup } from './cgroup';
import type { ServedJob } from './served-job';
import type { SpawnServer } from './spawn-server';
import type { SpawnRequest } from './spawn-request';
import { wrapCommand } from './wrapper';

/**
 * Unused this long, a warm process is killed. It holds a pid and a memory cgroup charge, a PID and a mount namespace
 * and a tmpfs, and it sees the filesystem as it was when it was made (the binary's inode in its Landlock rule, --hide
 * paths looked up then): kept short, so what it holds and what it saw are never old. Well below cgroup.ts's SPARE_MS
 * (15 s): its cgroup, created and joined at once, is never another runner's stale directory. warm.h's own 60 s is the
 * backstop should the runner never say.
 */
export const WARM_IDLE_MS = 10_000;
/**
 * A profile used within this long keeps a warm process: one that reaches WARM_IDLE_MS unused is replaced by a fresh
 * one (made then, so it sees the filesystem as it is then), not just killed. An assistant's calls come seconds to
 * minutes apart, and each call past the idle limit used to start cold (issue 12; docs/design.md, "The resident spawn
 * server"). A renewal costs what preparing one after a job does, once per WARM_IDLE_MS, at most this long after the
 * profile's last job.
 */
export const WARM_KEEP_MS = 300_000;
const MAX_WARM = 4;

interface Warm {
  job: ServedJob;
  cgroups: string[] | undefined;
  timer: ReturnType<typeof setTimeout>;
  /** Handed to a job: its cgroup is then that job's (spawn.ts removes it). */
  taken: boolean;
  gone: boolean;
}

let enabled = true;
let idleMs = WARM_IDLE_MS;
let keepMs = WARM_KEEP_MS;
let waiting = 0;
const pools = new WeakMap<SpawnServer, Map<string, Warm>>();

/** How many warm processes wait for a job now (the bench waits until each of them is ready before timing a job). */
export function warmJobCount(): number {
  return waiting;
}

/** Tests and the bench: false serves every job cold (the spawn server itself stays); `idle` and `keep` shorten the limits. */
export function setWarmJobsEnabled(on: boolean, idle = WARM_IDLE_MS, keep = WARM_KEEP_MS): void {
  enabled = on;
  idleMs = idle;
  keepMs = keep;
}

type Confine = NonNullable<SpawnRequest['confine']>;

function helperArgs(req: SpawnRequest, confine: Confine, server: SpawnServer, cgroups: readonly string[] | undefined): string[] {
  const { sandbox, limits, netRaw, execs } = confine;
  return wrapCommand(sandbox, limits, { file: req.file, args: [], netRaw, cgroups, execs }, server.pid).args;
}

/** The job's complete helper option set except its arguments; undefined when it is not one a warm process can serve. */
export function warmProfile(req: SpawnRequest, server: SpawnServer): string | undefined {
  const confine = req.confine;
  if (!enabled || confine === undefined || req.args.some((a) => a.includes('\0'))) return undefined;
  const layout = confine.sandbox.hardening?.cgroup;
  const cgroups = layout?.parents.map(() => '<job cgroup>');
  const limits = layout ? [`pids.max=${confine.maxProcesses ?? 64}`, `memory=${confine.limits.memoryMb}`] : [];
  try {
    return [...helperArgs(req, confine, server, cgroups), ...limits].join('\0');
  } catch {
    return undefined; // bad limits or a relative path: the cold path refuses the job with the reason
  }
}

/**
 * A warm process for exactly `profile`, given `args` now; undefined when there is none (the job then starts cold).
 * Also one the server has not answered for yet (no pid): the runner asks for it once the previous job's report is
 * acknowledged, which is when a caller calling again at once has its next job claimed too (issue 12). The server reads
 * its requests in order, so the arguments reach that process after its fork, and a fork that fails fails this job as a
 * cold one's would. Served cold instead, the job started a second process beside it, both hardening at once.
 */
export function takeWarm(server: SpawnServer, profile: string, args: readonly string[]): { job: ServedJob; cgroups: string[] | undefined } | undefined {
  const pool = pools.get(server);
  const warm = pool?.get(profile);
  if (pool === undefined || warm === undefined) return undefined;
  pool.delete(profile);
  clearTimeout(warm.timer);
  warm.taken = true;
  waiting--;
  server.giveArgs(warm.job, args);
  return { job: warm.job, cgroups: warm.cgroups };
}

/**
 * After a job of `profile` was answered: prepare the next one, off that job's path (`later`: setImmediate, or held by the
 * runner until the job's report is acknowledged, runner/src/post-job-work.ts).
 */
export function warmAhead(server: SpawnServer, profile: string, req: SpawnRequest, later: Later = immediately): void {
  if (req.confine === undefined) return;
  // Kept for renewals (WARM_KEEP_MS) without the job's own arguments, which a warm process never has.
  const bare: SpawnRequest = { ...req, args: [] };
  later(() => prepare(server, profile, bare, Date.now()));
}

/** Idle past its limit: killed, and replaced by a fresh one while its profile's last job is younger than WARM_KEEP_MS. */
function renew(server: SpawnServer, pool: Map<string, Warm>, profile: string, req: SpawnRequest, usedAt: number): void {
  discard(pool, profile);
  if (Date.now() - usedAt < keepMs) prepare(server, profile, req, usedAt);
}

/** A warm process for `profile` made now, unless one is there; `usedAt`: when that profile's last job was answered. */
function prepare(server: SpawnServer, profile: string, req: SpawnRequest, usedAt: number): void {
  const confine = req.confine;
  if (confine === undefined) return;
  const pool = pools.get(server) ?? new Map<string, Warm>();
  pools.set(server, pool);
  if (pool.has(profile) || server.state !== 'ready') return;
  if (pool.size >= MAX_WARM) discard(pool, pool.keys().next().value as string);
  let cgroups: string[] | undefined;
  try {
    const layout = confine.sandbox.hardening?.cgroup;
    if (layout) cgroups = createJobCgroup(layout, { maxProcesses: confine.maxProcesses ?? 64, memoryMb: confine.limits.memoryMb });
    const job = server.spawn(helperArgs(req, confine, server, cgroups), true);
    const timer = setTimeout(() => renew(server, pool, profile, req, usedAt), idleMs).unref();
    const warm: Warm = { job, cgroups, timer, taken: false, gone: false };
    pool.set(profile, warm);
    waiting++;
    // Gone before it was used (discarded, failed, or the server died): out of the pool, its cgroup removed.
    const gone = (): void => {
      if (pool.get(profile) === warm) pool.delete(profile);
      if (!warm.taken && !warm.gone) waiting--;
      warm.gone = true;
      clearTimeout(warm.timer);
      if (!warm.taken && cgroups) setImmediate(removeJobCgroup, cgroups);
    };
    job.once('exit', gone);
    job.once('error', gone);
  } catch {
    if (cgroups) removeJobCgroup(cgroups); // the next job starts cold and reports what is wrong
  }
}

function discard(pool: Map<string, Warm>, profile: string): void {
  const warm = pool.get(profile);
  if (warm === undefined) return;
  pool.delete(profile);
  clearTimeout(warm.timer);
  warm.job.signalGroup('SIGKILL'); // its helper and the waiting job process; the server reaps them, 'exit' cleans up
}
