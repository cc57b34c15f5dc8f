import { type OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { AppEnv } from '../app-env';
import { requireScope } from '../auth/require-scope';
import type { AppDeps } from '../deps';
import { ApiError } from '../errors/api-error';
import { errorInfo } from '../../shared/errors/codes';
import { holdUntilDone, superviseJob } from '../jobs/hold';
import { cancelAudit } from '../audit/cancel-audit';
import { noRunnerOffers } from '../jobs/no-runner';
import { argsSizeLimit } from '../ratelimit/args-size-limit';
import { rateLimit } from '../ratelimit/middleware';
import { bearer, errorResponses, jsonBody, jsonRequest } from '../schemas/responses';
import type { AnyToolDefinition } from '../../shared/tool/definition';
import { AcceptedJobSchema } from '../schemas/job';
import { requestTraceparent } from '../telemetry/request-trace';
import { markArrival } from '../../shared/telemetry/stage-arrival';
import { markStage, markStageOnWrite, stageClock } from '../../shared/telemetry/stage-times';
import { executeResponseSchema, paramsSchema } from './tool-schemas';
import { TOOL_EXAMPLES, type ToolExample } from './tool-examples';
import { API_EXAMPLES } from '../schemas/api-examples';

/** The documented 200 body of an example call (documentation only). */
const succeeded = (tool: string, e: ToolExample): object => ({
  jobId: API_EXAMPLES.acceptedJob.jobId,
  tool,
  status: 'succeeded',
  durationMs: e.durationMs,
  resolvedAddress: e.resolvedAddress,
  result: e.result,
});

/** POST /tools/{name}/execute for one tool: validate, check policy, queue a job and hold until it ends. */
export function registerToolExecute(app: OpenAPIHono<AppEnv>, deps: AppDeps, def: AnyToolDefinition): void {
  const example = TOOL_EXAMPLES[def.name];
  const route = createRoute({
    method: 'post',
    path: `/tools/${def.name}/execute`,
    operationId: `execute_${def.name}`,
    tags: ['tools'],
    summary: def.title,
    description: def.description,
    security: bearer,
    // Who (401/403), then how often (429 RATE_LIMITED), then how big (MCP_MAX_ARGS_LEN), before parsing.
    middleware: [
      requireScope(deps.tokens, 'tools:run'),
      ...(deps.rateLimiter ? [rateLimit(deps.rateLimiter, def.name, deps.jobs)] : []),
      argsSizeLimit(deps.settings.maxArgsLen),
    ],
    request: {
      body: jsonRequest(paramsSchema(def), example?.params),
      query: z.object({ async: z.enum(['true', 'false']).optional().describe('true: answer 202 with the job at once (same as Prefer: respond-async).') }),
      headers: z.object({
        prefer: z.string().max(256).optional(),
        'idempotency-key': z
          .string()
          .regex(/^[A-Za-z0-9._:-]{1,128}$/)
          .optional()
          .describe('Retrying with the same key reattaches to the running job instead of starting another.'),
      }),
    },
    responses: {
      200: jsonBody(executeResponseSchema(def), "The tool ran; result follows the tool's result schema.", example && succeeded(def.name, example)),
      202: jsonBody(AcceptedJobSchema, 'Accepted (async): follow Location, GET /jobs/{id}/events for progress.', { ...API_EXAMPLES.acceptedJob }),
      ...errorResponses(400, 401, 403, 404, 409, 429, 500, 502, 503, 504),
    },
  });

  app.openapi(route, async (c) => {
    const entered = stageClock(); // bench's per-stage breakdown only (shared/telemetry/stage-times.ts)
    const principal = c.var.principal;
    if (!deps.registry.isEnabled(def.name)) {
      throw ApiError.of('NOT_FOUND', `Tool ${def.name} is disabled.`, {
        recoverySuggestion: 'An admin can enable it (POST /tools/{name}/enable); GET /tools lists enabled tools.',
        details: { tool: def.name, disabled: true },
      });
    }
    if (principal.tools && !principal.tools.has(def.name)) {
      throw ApiError.of('FORBIDDEN', `This token may not run ${def.name}.`, { recoverySuggestion: `Use a token whose tool list includes ${def.name}.` });
    }
    const params = c.req.valid('json') as Record<string, unknown>;
    // The runner's privilege is unknown here: it re-checks with its own.
    const paramRefusal = def.policy.checkParams?.(params, { allowIntrusive: deps.settings.allowIntrusive, privileged: true });
    if (paramRefusal) throw ApiError.of(paramRefusal.code, paramRefusal.message, { recoverySuggestion: paramRefusal.recoverySuggestion });
    const target = String(params[def.policy.targetField]);
    const verdict = deps.policy.check(target, { allowCidr: def.policy.allowCidr });
    if (!verdict.ok) {
      const { code, message, recoverySuggestion, reason, details } = verdict.refusal;
      throw ApiError.of(code, message, { recoverySuggestion, details: { ...details, reason, field: def.policy.targetField } });
    }
    const timeoutSec = typeof params['timeoutSec'] === 'number' ? params['timeoutSec'] : def.policy.defaultTimeoutSec;
    const { prefer, 'idempotency-key': idempotencyKey } = c.req.valid('header');
    const existing = idempotencyKey ? await deps.jobs.findByKey(principal.id, idempotencyKey) : undefined;
    if (existing && existing.tool !== def.name) {
      throw ApiError.of('VALIDATION_ERROR', 'This Idempotency-Key was used for another tool.', { recoverySuggestion: 'Use a fresh key per call.' });
    }
    let queued = existing;
    if (!queued) {
      // Refused before a job exists when runners are connected and none offers the tool: waiting could not help,
      // and the caller learns why at once (jobs/no-runner.ts). With no runner at all the job waits (one may be starting).
      const unoffered = noRunnerOffers(def.name, await deps.jobs.runners());
      if (unoffered) throw new ApiError(unoffered);
      queued = await deps.jobs.enqueue({
        tool: def.name,
        params,
        target,
        principal: principal.id,
        timeoutSec,
        idempotencyKey,
        traceparent: requestTraceparent(c),
      });
      superviseJob(deps.jobs, queued, deps.settings);
      markArrival(c.req.raw, queued.id, 'api.arrived');
      markStage(queued.id, 'api.handler', entered);
      markStage(queued.id, 'api.enqueued');
    }
    if (c.req.valid('query').async === 'true' || /\brespond-async\b/i.test(prefer ?? '')) {
      c.header('location', `/jobs/${queued.id}`);
      return c.json(
        {
          jobId: queued.id,
          status: queued.status,
          reattached: existing !== undefined,
          links: { self: `/jobs/${queued.id}`, events: `/jobs/${queued.id}/events` },
        },
        202,
      );
    }
    // A caller that goes away cancels its keyless job (an MCP client's notifications/cancelled does this): audited like DELETE.
    const job = await holdUntilDone(deps.jobs, queued, c.req.raw.signal, (before, after) => deps.audit?.(cancelAudit(principal.id, before, after)));
    markStage(job.id, 'api.ended');
    if (job.status === 'succeeded' && job.result) {
      const checked = def.result.safeParse(job.result);
      if (checked.success) {
        const body = { jobId: job.id, tool: def.name, status: 'succeeded' as const, durationMs: job.durationMs ?? 0, result: checked.data };
        markStage(job.id, 'api.answered');
        markStageOnWrite(c.req.raw, job.id, 'api.written');
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
