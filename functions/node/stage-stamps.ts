/**
 * The bench's per-stage breakdown (NETDIAG_STAGE_TIMES=true only; issue 12), at node-server's edge of the app:
 * - each request's arrival, as node-server hands it to the app (shared/telemetry/stage-arrival.ts), so the time from
 *   the entry to a route's handler (middleware, body read, validators) is a row of its own;
 * - the moment node-server hands an answer to the socket (it calls `outgoing.end(body)`, which writes it), for the
 *   requests whose route asked for it with markStageOnWrite (shared/telemetry/stage-times.ts): the held caller's
 *   answer and the runner's claim answer, so a handler's return to the write (the middleware unwinding, the
 *   Response → ServerResponse conversion) is a row too.
 * Not installed when stage times are off.
 */
import type { Http2Bindings, HttpBindings } from '@hono/node-server';
import { noteArrival } from '../shared/telemetry/stage-arrival';
import { markStage, stageOnWriteOf } from '../shared/telemetry/stage-times';

type Bindings = HttpBindings | Http2Bindings;
type Fetch = (request: Request, env: Bindings) => Response | Promise<Response>;

export function stampRequestStages(fetch: Fetch): Fetch {
  return (request, env) => {
    noteArrival(request);
    const outgoing = env.outgoing as { end: (...args: unknown[]) => unknown };
    const end = outgoing.end;
    outgoing.end = function stampAndEnd(this: unknown, ...args: unknown[]): unknown {
      // Stamped as end() is called: once it returns, the receiver, woken by the write, may already have run for a
      // while on this core (loopback), which is its time, not the API's.
      const mark = stageOnWriteOf(request);
      if (mark) markStage(mark.jobId, mark.stage);
      return end.apply(this, args);
    };
    return fetch(request, env);
  };
}
