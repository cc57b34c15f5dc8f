/**
 * The bench's per-stage breakdown (NETDIAG_STAGE_TIMES=true only): stamps the moment node-server hands an answer to
 * the socket (it calls `outgoing.end(body)`, which writes it) for the requests whose route asked for
 * it with markStageOnWrite (functions/shared/telemetry/stage-times.ts): the held caller's answer and the runner's claim
 * answer. What lies between a handler's return and that moment (the middleware unwinding, the Response → ServerResponse
 * conversion) is then its own row (issue 12). Not installed when stage times are off.
 */
import type { Http2Bindings, HttpBindings } from '@hono/node-server';
import { markStage, stageOnWriteOf } from '../shared/telemetry/stage-times';

type Bindings = HttpBindings | Http2Bindings;
type Fetch = (request: Request, env: Bindings) => Response | Promise<Response>;

export function stampAnswerWrites(fetch: Fetch): Fetch {
  return (request, env) => {
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
