/**
 * A job's work that nobody waits for (its cgroup removed, the next warm job process prepared, its "job finished" log
 * line), held until the API has acknowledged the job's report (issue 12). Done right after the report was posted, as
 * before, it ran while the API read that report and answered the held caller: ~0.7 ms of the runner's CPU (mkdir,
 * rmdir and limit writes on cgroupfs) plus the spawn server's fork and the warm process's hardening, on a host where
 * the API, the runner and the caller share the cores. The acknowledgement comes after the API has written the caller's
 * answer (functions/src/routes/runner-protocol.ts), so the work then runs off that path.
 *
 * Held at most HOLD_MAX_MS: a report being retried (the API restarting) must not keep a finished job's cgroup or leave
 * the next job without its warm process for minutes. Each piece still runs in a macrotask of its own (setImmediate),
 * as it did before, so one that throws does not keep the others from running.
 */
export const HOLD_MAX_MS = 1000;

/** Where a job's deferred work goes: kept while held, scheduled at once (setImmediate) once released. */
export type Later = (work: () => void) => void;

export interface PostJobWork {
  later: Later;
  /** The report is on its way: release within `maxMs` at the latest, acknowledged or not. */
  reportPosted(maxMs?: number): void;
  /** Run what was held (and whatever comes later at once); a second call does nothing. */
  release(): void;
}

export const immediately: Later = (work) => {
  setImmediate(work);
};

/** Hold one job's deferred work until release(), or until `maxMs` after reportPosted(). */
export function holdPostJobWork(): PostJobWork {
  let held: Array<() => void> | undefined = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  const release = (): void => {
    if (held === undefined) return;
    clearTimeout(timer);
    const work = held;
    held = undefined;
    for (const w of work) immediately(w);
  };
  return {
    later: (work) => {
      if (held === undefined) immediately(work);
      else held.push(work);
    },
    reportPosted: (maxMs = HOLD_MAX_MS) => {
      if (held === undefined || timer !== undefined) return;
      timer = setTimeout(release, maxMs);
      timer.unref();
    },
    release,
  };
}
