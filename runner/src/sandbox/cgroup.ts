/**
 * Per-job cgroups (docs/security.md, "Sandbox"): one directory per job with pids.max and a memory limit, created
 * below the runner's OWN cgroup (so whatever limits the host puts on the runner still hold for its jobs), joined by
 * the helper before it drops privileges (--cgroup DIR), removed when the job has ended. cgroup v2 where mounted,
 * else v1 `pids` + `memory`. Where none of it is writable the runner says so at start-up and keeps the rlimits.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, rmdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';

export interface CgroupLayout {
  version: 1 | 2;
  /** v2: the runner's own cgroup; v1: the runner's cgroup in the pids and in the memory hierarchy. */
  parents: readonly string[];
}

export interface JobCgroupLimits {
  maxProcesses: number;
  memoryMb: number;
}

const ROOT = '/sys/fs/cgroup';

/** The runner's path in one hierarchy from /proc/self/cgroup ("0::/x" for v2, "4:memory:/x" for v1). */
function ownPath(lines: string[], controller: string | undefined): string | undefined {
  for (const line of lines) {
    const [, list = '', path = ''] = line.split(':');
    if (controller === undefined ? list === '' && line.startsWith('0:') : list.split(',').includes(controller)) return path;
  }
  return undefined;
}

/** Where job cgroups can go on this host, or why not (a note for the start-up log and /health). */
export function detectCgroups(): { layout?: CgroupLayout; why?: string } {
  let lines: string[];
  try {
    lines = readFileSync('/proc/self/cgroup', 'utf8').trim().split('\n');
  } catch (e) {
    return { why: `cannot read /proc/self/cgroup: ${(e as Error).message}` };
  }
  const v2 = existsSync(join(ROOT, 'cgroup.controllers')) ? ownPath(lines, undefined) : undefined;
  const v1 = ['pids', 'memory'].map((c) => {
    const path = ownPath(lines, c);
    return path !== undefined && existsSync(join(ROOT, c)) ? join(ROOT, c, path) : undefined;
  });
  const layout: CgroupLayout | undefined =
    v2 !== undefined ? { version: 2, parents: [join(ROOT, v2)] } : v1.every((p) => p !== undefined) ? { version: 1, parents: v1 as string[] } : undefined;
  if (!layout) return { why: 'no cgroup v2 and no v1 pids + memory hierarchy mounted' };
  try {
    // One directory per runner process: what a SIGKILLed runner left behind is swept by the next one to start,
    // and a live runner's directory is never touched by another.
    const own = { ...layout, parents: layout.parents.map((parent) => runnerDir(parent)) };
    const probe = createJobCgroup(own, { maxProcesses: 16, memoryMb: 64 });
    removeJobCgroup(probe);
    return { layout: own };
  } catch (e) {
    return { why: `cgroups not writable here (${(e as Error).message.split('\n')[0] ?? ''})` };
  }
}

const RUNNER_DIR = /^netdiag-runner-(\d+)$/;

/** A job joins its cgroup within milliseconds of its creation: an empty one older than this was left behind. */
const STALE_MS = 60_000;

/**
 * This runner's directory below `parent`, after sweeping what killed runners left behind. Only empty directories can
 * be removed at all, and only stale job cgroups are tried, in every runner's directory: a pid is namespace-relative
 * (a runner that was PID 1 of its own namespace looks alive forever; one from another namespace may look dead while
 * it lives), so a fresh job cgroup is never raced, and createJobCgroup recreates a swept parent.
 */
function runnerDir(parent: string): string {
  const now = Date.now();
  for (const entry of readdirSync(parent)) {
    const pid = RUNNER_DIR.exec(entry)?.[1];
    if (pid === undefined || Number(pid) === process.pid) continue;
    const dir = join(parent, entry);
    try {
      const stale = readdirSync(dir)
        .filter((d) => d.startsWith('netdiag-job-'))
        .map((d) => join(dir, d))
        .filter((d) => now - statSync(d).mtimeMs > STALE_MS);
      removeJobCgroup(existsSync(`/proc/${pid}`) ? stale : [...stale, dir], 0);
    } catch {
      // swept by another runner meanwhile
    }
  }
  const dir = join(parent, `netdiag-runner-${process.pid}`);
  if (!existsSync(dir)) mkdirSync(dir);
  return dir;
}

/** A new, empty directory per hierarchy for one job (limits not written yet). */
function makeJobDirs(layout: CgroupLayout): string[] {
  const name = `netdiag-job-${randomBytes(6).toString('hex')}`;
  const made: string[] = [];
  try {
    for (const parent of layout.parents) {
      const dir = join(parent, name);
      mkdirSync(dir, { recursive: true }); // recursive: the runner's own directory may have been swept while idle
      made.push(dir);
    }
  } catch (e) {
    removeJobCgroup(made);
    throw e;
  }
  return made;
}

/**
 * Whether a job's directory `dir` has the control file `name`: which files a new cgroup gets is the hierarchy's
 * property (its controllers, swap accounting), so this is asked of cgroupfs once per parent, not once per job
 * (issue 12: two stat calls on cgroupfs per job, ~20 µs of the runner's CPU under load).
 */
const controlFiles = new Map<string, boolean>();
function hasControlFile(dir: string, name: string): boolean {
  const key = `${dirname(dir)}\n${name}`;
  let has = controlFiles.get(key);
  if (has === undefined) {
    has = existsSync(join(dir, name));
    controlFiles.set(key, has);
  }
  return has;
}

function writeLimits(layout: CgroupLayout, dirs: readonly string[], limits: JobCgroupLimits): void {
  const bytes = String(limits.memoryMb * 1_048_576);
  for (const dir of dirs) {
    if (layout.version === 2) {
      writeFileSync(join(dir, 'pids.max'), String(limits.maxProcesses));
      writeFileSync(join(dir, 'memory.max'), bytes);
      if (hasControlFile(dir, 'memory.swap.max')) writeFileSync(join(dir, 'memory.swap.max'), '0');
    } else if (hasControlFile(dir, 'pids.max')) {
      writeFileSync(join(dir, 'pids.max'), String(limits.maxProcesses));
    } else {
      writeFileSync(join(dir, 'memory.limit_in_bytes'), bytes);
    }
  }
}

/**
 * One job's directories made ahead, while the job that took the last ones runs: mkdir on cgroupfs is most of a job
 * cgroup's cost (≈ 0.3 ms of the runner's CPU here, bench/sandbox.ts), so a job only has its limits written before it
 * starts. Empty and unjoined until then, like any job's directory before its helper joins it; used only while younger
 * than SPARE_MS (well inside STALE_MS: no other runner's sweep removes it under us), else removed and made afresh.
 */
const SPARE_MS = STALE_MS / 4;
let spare: { key: string; dirs: string[]; madeAt: number } | undefined;
let spareQueued = false;
function takeSpare(key: string): string[] | undefined {
  const taken = spare;
  spare = undefined;
  if (taken && taken.key === key && Date.now() - taken.madeAt < SPARE_MS) return taken.dirs;
  if (taken) removeJobCgroup(taken.dirs, 0);
  return undefined;
}
function queueSpare(layout: CgroupLayout, key: string): void {
  if (spareQueued) return;
  spareQueued = true;
  setImmediate(() => {
    spareQueued = false;
    if (spare !== undefined) return;
    try {
      const made = { key, dirs: makeJobDirs(layout), madeAt: Date.now() };
      spare = made;
      // Not left lying around while idle (nor at exit): whatever a killed runner leaves, the next one's sweep removes.
      setTimeout(() => spare === made && takeSpare(''), SPARE_MS).unref();
    } catch {
      // the next job makes its own (and reports why it cannot)
    }
  });
}
process.on('exit', () => takeSpare(''));

/** A fresh cgroup per job (one directory per hierarchy) with its limits written; the helper moves the job in. */
export function createJobCgroup(layout: CgroupLayout, limits: JobCgroupLimits): string[] {
  const key = layout.parents.join('\n');
  const ready = takeSpare(key);
  queueSpare(layout, key);
  if (ready) {
    try {
      writeLimits(layout, ready, limits);
      return ready;
    } catch {
      removeJobCgroup(ready, 0); // swept or removed meanwhile: make a fresh one below
    }
  }
  const dirs = makeJobDirs(layout);
  try {
    writeLimits(layout, dirs, limits);
  } catch (e) {
    removeJobCgroup(dirs);
    throw e;
  }
  return dirs;
}

const RETRY_MS = 50;
const RETRIES = 40;

/**
 * Remove a job's cgroups once it has ended (the helper reaped everything in its PID namespace). The kernel may still
 * count a task that is finishing its exit for a moment (EBUSY): such a directory is retried for about two seconds.
 */
export function removeJobCgroup(dirs: readonly string[], retries = RETRIES): void {
  const busy = dirs.filter((dir) => {
    try {
      rmdirSync(dir);
      return false;
    } catch (e) {
      return (e as NodeJS.ErrnoException).code === 'EBUSY';
    }
  });
  if (busy.length > 0 && retries > 0) setTimeout(() => removeJobCgroup(busy, retries - 1), RETRY_MS).unref();
}
