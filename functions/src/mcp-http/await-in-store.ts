import type { AppDeps } from '../deps';
import { HTTP_STATUS_BY_CODE, type ErrorInfo, errorInfo } from '../../shared/errors/codes';
import type { Job } from '../jobs/types';
import type { ApiAnswer } from '../../mcp/api-answer';
import type { ExecuteSucceeded, PortContext } from '../../mcp/api-port';

const failed = (info: ErrorInfo): ApiAnswer<never> => ({ kind: 'error', status: HTTP_STATUS_BY_CODE[info.code], body: info });

/**
 * Wait for the job a call started (found by principal and Idempotency-Key) on the job store itself, and answer as
 * the held POST /tools/{name}/execute does (routes/tool-execute.ts): the result checked against the tool's schema,
 * or the job's error with its partial result. In process this saves the second pass through the REST route; the
 * start still goes through it, with every check.
 */
export async function awaitInStore(
  deps: Pick<AppDeps, 'jobs' | 'registry' | 'logger'>,
  tool: string,
  key: string,
  ctx: PortContext,
): Promise<ApiAnswer<ExecuteSucceeded>> {
  const started = ctx.principal === undefined ? undefined : await deps.jobs.findByKey(ctx.principal, key);
  if (!started || started.tool !== tool) return failed(errorInfo('NOT_FOUND', `No ${tool} job was started for this call.`));
  let job: Job;
  try {
    job = await deps.jobs.waitForEnd(started.id, ctx.signal);
  } catch (err) {
    if (ctx.signal.aborted) return { kind: 'aborted' };
    throw err;
  }
  const def = deps.registry.get(tool);
  if (job.status === 'succeeded' && job.result && def) {
    const checked = def.result.safeParse(job.result);
    if (checked.success) return { kind: 'ok', data: { jobId: job.id, result: checked.data as Record<string, unknown> } };
    deps.logger.error({ jobId: job.id }, 'runner returned a result that fails the schema');
    return failed(errorInfo('EXECUTION_ERROR', `The runner returned a malformed ${tool} result.`, { details: { jobId: job.id } }));
  }
  const error = job.error ?? errorInfo('UNKNOWN', `Job ended as ${job.status} without an error.`);
  return failed({ ...error, details: { ...error.details, jobId: job.id, ...(job.result ? { partialResult: job.result } : {}) } });
}
