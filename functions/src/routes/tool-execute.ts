import { type OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { AppEnv } from '../app-env';
import { requireScope } from '../auth/require-scope';
import type { AppDeps } from '../deps';
import { ApiError } from '../errors/api-error';
import { errorInfo } from '../errors/codes';
import { holdUntilDone } from '../jobs/hold';
import { bearer, errorResponses, jsonBody } from '../schemas/responses';
import type { AnyToolDefinition } from '../tools/types';
import { executeResponseSchema, paramsSchema } from './tool-schemas';

/** POST /tools/{name}/execute for one tool: validate, check policy, queue a job and hold until it ends. */
export function registerToolExecute(app: OpenAPIHono<AppEnv>, deps: AppDeps, def: AnyToolDefinition): void {
  const route = createRoute({
    method: 'post',
    path: `/tools/${def.name}/execute`,
    operationId: `execute_${def.name}`,
    tags: ['tools'],
    summary: def.title,
    description: def.description,
    security: bearer,
    middleware: [requireScope(deps.tokens, 'tools:run')],
    request: { body: { required: true, content: { 'application/json': { schema: paramsSchema(def) } } } },
    responses: {
      200: jsonBody(executeResponseSchema(def), 'The tool ran; result follows the tool\'s result schema.'),
      ...errorResponses(400, 401, 403, 404, 409, 429, 500, 502, 503, 504),
    },
  });

  app.openapi(route, async (c) => {
    const principal = c.var.principal;
    if (principal.tools && !principal.tools.has(def.name)) {
      throw ApiError.of('FORBIDDEN', `This token may not run ${def.name}.`, { recoverySuggestion: `Use a token whose tool list includes ${def.name}.` });
    }
    const params = c.req.valid('json') as Record<string, unknown>;
    // The runner's privilege is unknown here: it re-checks with its own.
    const paramRefusal = def.policy.checkParams?.(params as never, { allowIntrusive: deps.settings.allowIntrusive, privileged: true });
    if (paramRefusal) throw ApiError.of(paramRefusal.code, paramRefusal.message, { recoverySuggestion: paramRefusal.recoverySuggestion });
    const target = String(params[def.policy.targetField]);
    const verdict = deps.policy.check(target, { allowCidr: def.policy.allowCidr });
    if (!verdict.ok) {
      const { code, message, recoverySuggestion, reason, details } = verdict.refusal;
      throw ApiError.of(code, message, { recoverySuggestion, details: { ...details, reason, field: def.policy.targetField } });
    }
    const timeoutSec = typeof params['timeoutSec'] === 'number' ? params['timeoutSec'] : def.policy.defaultTimeoutSec;
    const queued = await deps.jobs.enqueue({ tool: def.name, params, target, principal: principal.id, timeoutSec });
    const job = await holdUntilDone(deps.jobs, queued, deps.settings, c.req.raw.signal);
    if (job.status === 'succeeded' && job.result) {
      const checked = def.result.safeParse(job.result);
      if (checked.success) {
        const body = { jobId: job.id, tool: def.name, status: 'succeeded' as const, durationMs: job.durationMs ?? 0, result: checked.data };
        return c.json(job.resolvedAddress ? { ...body, resolvedAddress: job.resolvedAddress } : body, 200);
      }
      deps.logger.error({ jobId: job.id, issues: z.prettifyError(checked.error) }, 'runner returned a result that fails the schema');
      throw ApiError.of('EXECUTION_ERROR', `The runner returned a malformed ${def.name} result.`, { details: { jobId: job.id } });
    }
    const error = job.error ?? errorInfo('UNKNOWN', `Job ended as ${job.status} without an error.`);
    throw ApiError.of(error.code, error.message, {
      recoverySuggestion: error.recoverySuggestion,
      details: { ...error.details, jobId: job.id, ...(job.result ? { partialResult: job.result } : {}) },
    });
  });
}
