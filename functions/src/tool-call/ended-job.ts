import { z } from 'zod';
import type { AppDeps } from '../deps';
import { ApiError } from '../errors/api-error';
import { errorInfo } from '../../shared/errors/codes';
import type { AnyToolDefinition } from '../../shared/tool/definition';
import type { Job } from '../jobs/types';
import type { SucceededBody } from '../routes/tool-schemas';

/**
 * What a tool call answers once its job has ended: the result checked against the tool's schema, or the job's
 * error (with its partial result) thrown as an ApiError; a result that fails the schema is EXECUTION_ERROR. One
 * function for every way a call waits for its job: the held REST call and /mcp's direct call (execute-tool.ts), and
 * /mcp's wait for a started job on the store (mcp-http/await-in-store.ts).
 */
export function endedJobBody(deps: Pick<AppDeps, 'logger'>, def: AnyToolDefinition, job: Job): SucceededBody {
  if (job.status === 'succeeded' && job.result) {
    const checked = def.result.safeParse(job.result);
    if (checked.success) {
      const body: SucceededBody = {
        jobId: job.id,
        tool: def.name,
        status: 'succeeded',
        durationMs: job.durationMs ?? 0,
        result: checked.data as Record<string, unknown>,
      };
      return job.resolvedAddress ? { ...body, resolvedAddress: job.resolvedAddress } : body;
    }
    deps.logger.error({ jobId: job.id, issues: z.prettifyError(checked.error) }, 'runner returned a result that fails the schema');
    throw ApiError.of('EXECUTION_ERROR', `The runner returned a malformed ${def.name} result.`, { details: { jobId: job.id } });
  }
  const error = job.error ?? errorInfo('UNKNOWN', `Job ended as ${job.status} without an error.`);
  throw ApiError.of(error.code, error.message, {
    recoverySuggestion: error.recoverySuggestion,
    details: { ...error.details, jobId: job.id, ...(job.result ? { partialResult: job.result } : {}) },
  });
}
