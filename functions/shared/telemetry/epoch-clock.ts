/**
 * Epoch milliseconds with sub-millisecond precision that agree across processes on one host, for the bench's
 * per-stage breakdown (stage-times.ts, bench/stage-breakdown.ts). `performance.timeOrigin` alone does not: Node takes
 * it at start-up, and a process descheduled in between its two clock readings carries the gap for its whole life (a
 * runner stamped 3.6 ms ahead of the API in one breakdown, issue 12). The offset is taken instead at the instant
 * Date.now() ticks over to its next millisecond, where the wall clock is known to the microsecond; it costs about 5 ms
 * of spinning, once per process, and only where stage times are on.
 */
let offset: number | undefined;
/** Half the width of the edge the offset was taken at: how far off the offset can be. */
let error = 0;

/**
 * wall − monotonic at the next edge of Date.now()'s millisecond. The edge lies between two Date.now() readings; each
 * reading is followed by a monotonic one, so the edge is within [after the previous, after this one]: its middle is
 * the estimate and the interval's width its error, small unless the thread was preempted right there.
 */
function edgeOffset(): { offset: number; width: number } {
  const start = Date.now();
  let previous = performance.now();
  const began = previous;
  for (;;) {
    const wall = Date.now();
    const mono = performance.now();
    if (wall !== start) return { offset: wall - (previous + mono) / 2, width: mono - previous };
    // A clock that does not move for 5 ms: take what there is.
    if (mono - began > 5) return { offset: wall - mono, width: Number.POSITIVE_INFINITY };
    previous = mono;
  }
}

/** The narrowest of five edges (about 5 ms): the first loops run cold, and a preempted one is wide. */
function calibrate(): number {
  let best = edgeOffset();
  for (let i = 0; i < 4; i += 1) {
    const next = edgeOffset();
    if (next.width < best.width) best = next;
  }
  error = best.width / 2;
  return best.offset;
}

/** Now, as epoch milliseconds, on the clock every process of this host agrees on. */
export function epochClock(): number {
  offset ??= calibrate();
  return offset + performance.now();
}

/** How far epochClock() can be off the wall clock (ms): half the calibration edge's width, small unless every edge was preempted. */
export function epochClockError(): number {
  offset ??= calibrate();
  return error;
}
