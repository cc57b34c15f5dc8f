/**
 * The bench's per-stage breakdown (NETDIAG_STAGE_TIMES=true only): notes when node-server hands each request to the
 * app, so the time from the entry to a route's handler (the middleware, the body read and the validators) is a row
 * of its own (issue 12; shared/telemetry/stage-arrival.ts). Not installed when stage times are off.
 */
import type { Http2Bindings, HttpBindings } from '@hono/node-server';
import { noteArrival } from '../shared/telemetry/stage-arrival';

type Bindings = HttpBindings | Http2Bindings;
type Fetch = (request: Request, env: Bindings) => Response | Promise<Response>;

export function stampArrivals(fetch: Fetch): Fetch {
  return (request, env) => {
    noteArrival(request);
    return fetch(request, env);
  };
}
