import { type OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { AppEnv } from '../app-env';
import { requireScope } from '../auth/require-scope';
import type { AppDeps } from '../deps';
import { ApiError } from '../errors/api-error';
import { type UnavailableOn, reasonsFor } from '../jobs/unavailable-reasons';
import type { BreakerState } from '../telemetry/breaker-board';
import { bearer, errorResponses, jsonBody } from '../schemas/responses';
import { API_EXAMPLES as EX } from '../schemas/api-examples';
import type { AnyToolDefinition } from '../../shared/tool/definition';
import { SANDBOX_MODES, SANDBOX_PROTECTIONS } from '../../shared/tool/executor';

const ToolInfoSchema = z
  .object({
    name: z.string(),
    title: z.string(),
    description: z.string(),
    inputSchema: z.record(z.string(), z.unknown()),
    outputSchema: z.record(z.string(), z.unknown()),
    annotations: z.object({ readOnlyHint: z.boolean(), destructiveHint: z.boolean(), idempotentHint: z.boolean(), openWorldHint: z.boolean() }),
    longRunning: z.boolean().describe('The tool may run for minutes; MCP offers it as a task (execution.taskSupport "optional").'),
    policy: z.object({ allowCidr: z.boolean(), defaultTimeoutSec: z.number(), maxTimeoutSec: z.number(), allowedTargets: z.string() }),
    available: z.boolean().describe('Whether a connected runner advertises this tool.'),
    runners: z.array(z.string()).describe('Connected runners that advertise this tool.'),
    unavailableOn: z
      .array(z.object({ runnerId: z.string(), reason: z.string() }))
      .describe('Connected runners that know this tool but cannot offer it, with the reason each gave at registration (e.g. no lab DNS resolver configured).'),
    breaker: z.enum(['CLOSED', 'OPEN', 'HALF_OPEN']).describe('Circuit breaker state: the worst any of those runners reports (CLOSED when none reported).'),
    sandboxes: z
      .array(z.object({ runnerId: z.string(), mode: z.enum(SANDBOX_MODES), protections: z.array(z.enum(SANDBOX_PROTECTIONS)) }))
      .optional()
      .describe('How each of those runners confines this tool\'s jobs, as it reported at registration (docs/security.md, "Sandbox").'),
  })
  .meta({ id: 'ToolInfo' });

type ToolInfo = z.infer<typeof ToolInfoSchema>;

function describeTool(def: AnyToolDefinition, allowedTargets: string): Omit<ToolInfo, 'available' | 'runners' | 'unavailableOn' | 'breaker'> {
  return {
    name: def.name,
    title: def.title,
    description: `${def.description} Allowed targets: ${allowedTargets}.`,
    inputSchema: z.toJSONSchema(def.params, { io: 'input' }) as Record<string, unknown>,
    outputSchema: z.toJSONSchema(def.result, { io: 'output' }) as Record<string, unknown>,
    annotations: def.annotations,
    longRunning: def.longRunning === true,
    policy: { allowCidr: def.policy.allowCidr, defaultTimeoutSec: def.policy.defaultTimeoutSec, maxTimeoutSec: def.policy.maxTimeoutSec, allowedTargets },
  };
}

interface LiveState {
  runnersOf: (tool: string) => string[];
  reasonsOf: (tool: string) => UnavailableOn[];
  breakerOf: (tool: string) => BreakerState;
  sandboxesOf: (tool: string) => NonNullable<ToolInfo['sandboxes']>;
}

/** Which connected runners offer each tool, why the others do not, and the worst breaker state they report. */
async function liveState(deps: AppDeps): Promise<LiveState> {
  const runners = await deps.jobs.runners();
  const breakers = deps.telemetry.breakers.states(runners.map((r) => r.runnerId));
  return {
    runnersOf: (tool) =>
      runners
        .filter((r) => r.tools.includes(tool))
        .map((r) => r.runnerId)
        .sort(),
    reasonsOf: (tool) => reasonsFor(tool, runners),
    breakerOf: (tool) => breakers.get(tool) ?? 'CLOSED',
    sandboxesOf: (tool) =>
      runners
        .filter((r) => r.tools.includes(tool) && r.sandbox !== undefined)
        .map((r) => ({ runnerId: r.runnerId, mode: r.sandbox?.mode ?? 'process-group', protections: [...(r.sandbox?.protections ?? [])] }))
        .sort((a, b) => a.runnerId.localeCompare(b.runnerId)),
  };
}

export function registerToolsList(app: OpenAPIHono<AppEnv>, deps: AppDeps): void {
  const described = new Map(deps.registry.all.map((def) => [def.name, describeTool(def, deps.policy.describe())]));
  const route = createRoute({
    method: 'get',
    path: '/tools',
    operationId: 'list_tools',
    tags: ['tools'],
    summary: 'Enabled tools with their JSON Schemas and annotations',
    security: bearer,
    middleware: [requireScope(deps.tokens, 'tools:read')],
    responses: { 200: jsonBody(z.object({ tools: z.array(ToolInfoSchema) }).meta({ id: 'ToolList' }), 'OK', EX.toolList), ...errorResponses(401, 403) },
  });
  // The list is ~35 KB of JSON Schemas that change only with the enabled set and runner availability:
  // serialise once per combination (a handful exist) instead of per request.
  const bodies = new Map<string, string>();
  app.openapi(route, async (c) => {
    const live = await liveState(deps);
    const enabled = deps.registry.enabledTools();
    // JSON-encoded reasons: runner text cannot make two different states share a key.
    const key = enabled
      .map(
        (d) =>
          `${d.name}:${live.runnersOf(d.name).join('+')}:${live.breakerOf(d.name)}:${JSON.stringify(live.reasonsOf(d.name))}:${JSON.stringify(live.sandboxesOf(d.name))}`,
      )
      .join(',');
    let body = bodies.get(key);
    if (body === undefined) {
      const tools = enabled.flatMap((def) => {
        const info = described.get(def.name);
        const runners = live.runnersOf(def.name);
        return info
          ? [
              {
                ...info,
                available: runners.length > 0,
                runners,
                unavailableOn: live.reasonsOf(def.name),
                breaker: live.breakerOf(def.name),
                sandboxes: live.sandboxesOf(def.name),
              },
            ]
          : [];
      });
      body = JSON.stringify({ tools });
      if (bodies.size > 64) bodies.clear();
      bodies.set(key, body);
    }
    // Same bytes c.json would send; typed as the declared 200 response.
    return c.body(body, 200, { 'content-type': 'application/json' }) as unknown as ReturnType<typeof c.json<{ tools: ToolInfo[] }, 200>>;
  });

  const one = createRoute({
    method: 'get',
    path: '/tools/{name}',
    operationId: 'get_tool',
    tags: ['tools'],
    summary: 'One tool, enabled or not',
    security: bearer,
    middleware: [requireScope(deps.tokens, 'tools:read')],
    request: { params: z.object({ name: z.string().min(1).max(64) }) },
    responses: {
      200: jsonBody(ToolInfoSchema.extend({ enabled: z.boolean() }).meta({ id: 'ToolDetail' }), 'OK', EX.toolDetail),
      ...errorResponses(401, 403, 404),
    },
  });
  app.openapi(one, async (c) => {
    const { name } = c.req.valid('param');
    const info = described.get(name);
    if (!info) throw ApiError.of('NOT_FOUND', `No tool ${name}.`);
    const live = await liveState(deps);
    const runners = live.runnersOf(name);
    return c.json(
      {
        ...info,
        available: runners.length > 0,
        runners,
        unavailableOn: live.reasonsOf(name),
        breaker: live.breakerOf(name),
        sandboxes: live.sandboxesOf(name),
        enabled: deps.registry.isEnabled(name),
      },
      200,
    );
  });
}
