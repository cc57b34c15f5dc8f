import type { AppDeps } from '../deps';
import { HTTP_STATUS_BY_CODE, type ErrorInfo, errorInfo } from '../../shared/errors/codes';
import { ApiError } from '../errors/api-error';
import type { Job } from '../jobs/types';
import type { ApiAnswer } from '../../mcp/api-answer';
import type { ExecuteSucceeded, PortContext } from '../../mcp/api-port';
import { endedJobBody } from '../tool-call/ended-job';

const failed = (info: ErrorInfo): ApiAnswer<never> => ({ kind: 'error', status: HTTP_STATUS_BY_CODE[info.code], body: info });

/**
 * Wait for the job a call started (found by principal and Idempotency-Key) on the job store itself, and answer as
 * the held POST /tools/{name}/execute does, through the same function (tool-call/ended-job.ts): the result checked
 * against the tool's schema, or the job's error with its partial result. The start went through every check
 * (direct-execute.ts); waiting needs none of them.
 */
export async function awaitInStore(
  deps: Pick<AppDeps, 'jobs' | 'registry' | 'logger'>,
  tool: string,
  key: string,
  ctx: PortContext,
): Promise<ApiAnswer<ExecuteSucceeded>> {
  const started = ctx.principal === undefined ? undefined : await deps.jobs.findByKey(ctx.principal, key);
  const def = deps.registry.get(tool);
  if (!started || started.tool !== tool || !def) return failed(errorInfo('NOT_FOUND', `No ${tool} job was started for this call.`));
  let job: Job;
  try {
    job = await deps.jobs.waitForEnd(started.id, ctx.signal);
  } catch (err) {
    if (ctx.signal.aborted) return { kind: 'aborted' };
    throw err;
  }
  try {
    return { kind: 'ok', data: endedJobBody(deps, def, job) };
  } catch (err) {
    if (err instanceof ApiError) return failed(err.info);
    throw err;
  }
}
