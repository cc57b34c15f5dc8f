import { type OpenAPIHono, createRoute } from '@hono/zod-openapi';
import type { AppEnv } from '../app-env';
import { requireScope } from '../auth/require-scope';
import type { AppDeps } from '../deps';
import { argsSizeLimit } from '../ratelimit/args-size-limit';
import { rateLimit } from '../ratelimit/middleware';
import { bearer, errorResponses, jsonBody, jsonRequest } from '../schemas/responses';
import type { AnyToolDefinition } from '../../shared/tool/definition';
import { AcceptedJobSchema } from '../schemas/job';
import { requestTraceparent } from '../telemetry/request-trace';
import { markStageOnWrite } from '../../shared/telemetry/stage-times';
import { executeQuerySchema, executeHeadersSchema } from '../tool-call/execute-request';
import { executeTool } from '../tool-call/execute-tool';
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
      query: executeQuerySchema,
      headers: executeHeadersSchema,
    },
    responses: {
      200: jsonBody(executeResponseSchema(def), "The tool ran; result follows the tool's result schema.", example && succeeded(def.name, example)),
      202: jsonBody(AcceptedJobSchema, 'Accepted (async): follow Location, GET /jobs/{id}/events for progress.', { ...API_EXAMPLES.acceptedJob }),
      ...errorResponses(400, 401, 403, 404, 409, 429, 500, 502, 503, 504),
    },
  });

  // The call itself is executeTool's, which /mcp's direct tool calls share (tool-call/direct-call.ts).
  app.openapi(route, async (c) => {
    const { prefer, 'idempotency-key': idempotencyKey } = c.req.valid('header');
    const outcome = await executeTool(deps, def, {
      principal: c.var.principal,
      params: c.req.valid('json') as Record<string, unknown>,
      idempotencyKey,
      respondAsync: c.req.valid('query').async === 'true' || /\brespond-async\b/i.test(prefer ?? ''),
      // Read only when the call is held: on Node, a request's signal makes node-server build the full web Request.
      get signal() {
        return c.req.raw.signal;
      },
      traceparent: () => requestTraceparent(c),
      arrival: c.req.raw,
    });
    if (outcome.kind === 'accepted') {
      c.header('location', outcome.body.links.self);
      return c.json(outcome.body, 202);
    }
    markStageOnWrite(c.req.raw, outcome.body.jobId, 'api.written');
    return c.json(outcome.body, 200);
  });
}
