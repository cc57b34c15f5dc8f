import { performance } from 'node:perf_hooks';

export interface IdleGcOptions {
  /** The collector: `globalThis.gc`, present only when Node runs with --expose-gc (scripts/dev-env.mjs passes it). */
  gc?: NodeJS.GCFunction | undefined;
  /** How often to look; the event loop must have been idle for the whole interval. */
  intervalMs?: number;
}

/** Below this share of an interval spent running JavaScript or I/O callbacks, the process counts as idle then. */
const IDLE_UTILIZATION = 0.01;

/**
 * Idle memory (issue 12, targets API ≤ 80 MB and runner ≤ 70 MB RSS; docs/design.md, "Deployment"): V8 keeps the
 * garbage of start-up and of the last burst of calls committed (up to ~30 MB of young and old generation) until
 * its memory reducer runs, which after start-up often does not happen for minutes. So after start-up, and after
 * each spell of work, once the event loop has then been idle for a whole interval: collect once, a full collection
 * and then a young-generation one, which together give those pages back. Only when idle, so no call waits for it;
 * a no-op without --expose-gc (nothing is forced on a process that did not ask for it). Returns a function that
 * stops it; the timer never keeps the process alive.
 */
export function collectWhenIdle({ gc = globalThis.gc, intervalMs = 5000 }: IdleGcOptions = {}): () => void {
  if (!gc) return () => undefined;
  let last = performance.eventLoopUtilization();
  let worked = true; // start-up
  const timer = setInterval(() => {
    const now = performance.eventLoopUtilization();
    const busy = performance.eventLoopUtilization(now, last).utilization;
    last = now;
    if (busy >= IDLE_UTILIZATION) {
      worked = true;
      return;
    }
    if (!worked) return;
    worked = false;
    gc(); // full
    gc(true); // young generation
    // The collection itself ran on the loop: the next interval starts after it.
    last = performance.eventLoopUtilization();
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
