import type { AppDeps } from '../deps';
import { answeredError } from '../errors/answered-error';
import { HTTP_STATUS_BY_CODE } from '../../shared/errors/codes';
import type { ApiAnswer } from '../../mcp/api-answer';
import type { PortContext } from '../../mcp/api-port';
import { noteArrival } from '../../shared/telemetry/stage-arrival';
import { directToolCalls } from '../tool-call/direct-call';

/** One tool call of the /mcp port: the tool, its arguments, its Idempotency-Key (if any) and whether to answer with the job at once. */
export type DirectExecute = <T>(
  tool: string,
  args: Record<string, unknown>,
  key: string | undefined,
  ctx: PortContext,
  async: boolean,
) => Promise<ApiAnswer<T>>;

/**
 * POST /tools/{name}/execute for every tools/call on /mcp, without HTTP (issue 12: MCP over HTTP vs REST): the
 * route's checks and job as functions (tool-call/direct-call.ts), with the caller's own Authorization. The answer is
 * what the port's callApi makes of the route's (functions/mcp/api-answer.ts): the body on success; on a refusal the
 * route's status and error envelope (its requestId a fresh one, as an in-process request without X-Request-Id got),
 * an unexpected error logged and answered 500 UNKNOWN as app.onError does; `aborted` once the caller's signal fired.
 */
export function directExecute(deps: AppDeps): DirectExecute {
  const call = directToolCalls(deps);
  return async <T>(tool: string, args: Record<string, unknown>, key: string | undefined, ctx: PortContext, async: boolean): Promise<ApiAnswer<T>> => {
    if (ctx.signal.aborted) return { kind: 'aborted' };
    // Its arrival, for the job's api.arrived in the bench's breakdown (stage times only; stage-arrival.ts).
    const arrival = {};
    noteArrival(arrival);
    try {
      const outcome = await call({ tool, args, idempotencyKey: key, respondAsync: async, headers: ctx.headers, signal: ctx.signal, arrival });
      return { kind: 'ok', data: outcome.body as T };
    } catch (err) {
      if (ctx.signal.aborted) return { kind: 'aborted' };
      const requestId = crypto.randomUUID();
      const { error, unexpected } = answeredError(err);
      if (unexpected) deps.logger.error({ err, requestId, path: `/tools/${tool}/execute` }, 'unhandled error');
      return { kind: 'error', status: HTTP_STATUS_BY_CODE[error.info.code], body: { ...error.info, requestId } };
    }
  };
}
