/**
 * What a request owes once it is answered but need not make the answer wait for (issue 12): its request log line
 * (middleware/request-log.ts), its duration metric, refusal counters and span end (http-telemetry.ts). The middleware
 * take the status and the end time while they unwind and queue the rest here; on Node it runs after this turn's I/O
 * (setImmediate), when node-server has written the answer (held callers, claim answers and acknowledgements all leave in
 * the turn they are made), one immediate for all the requests answered in that turn. Nothing is dropped: every queued
 * piece runs, in order, even when one throws (the first error is thrown again afterwards, as it would have been
 * inline). On Workers the work runs at once, in the middleware: what runs after the Response is returned is only
 * sure to run through waitUntil, no SDK records anything there, and a console line does not block. Likewise where
 * there is no setImmediate. docs/design.md, "Observability".
 */
const queue: Array<() => void> = [];
let scheduled = false;

const onWorkers = (globalThis as { navigator?: { userAgent?: unknown } }).navigator?.userAgent === 'Cloudflare-Workers';
const laterThisTurn: ((run: () => void) => void) | undefined = !onWorkers && typeof setImmediate === 'function' ? (run) => void setImmediate(run) : undefined;

/**
 * Run `work` after the answer has gone out (at once where the runtime cannot defer). No trace context travels with it
 * (the API propagates none implicitly: telemetry/request-trace.ts): work that writes a request's log line enters its
 * request's context itself (middleware/request-log.ts).
 */
export function afterAnswer(work: () => void): void {
  if (!laterThisTurn) return work();
  queue.push(work);
  if (scheduled) return;
  scheduled = true;
  laterThisTurn(flushAfterAnswer);
}

/**
 * Run what is queued now. GET /metrics calls it first, so a scrape counts every request answered before it even when
 * both are handled in one turn (in-process requests).
 */
export function flushAfterAnswer(): void {
  scheduled = false;
  let failed: { err: unknown } | undefined;
  // Work queued while flushing (a log line's own write) runs in this flush too.
  for (let work = queue.shift(); work; work = queue.shift()) {
    try {
      work();
    } catch (err) {
      failed ??= { err };
    }
  }
  if (failed) throw failed.err;
}
