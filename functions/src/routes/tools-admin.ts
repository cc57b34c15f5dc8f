import { type OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { AppEnv } from '../app-env';
import { requireScope } from '../auth/require-scope';
import type { AppDeps } from '../deps';
import { ApiError } from '../errors/api-error';
import { bearer, errorResponses, jsonBody } from '../schemas/responses';
import { API_EXAMPLES as EX } from '../schemas/api-examples';

const NameParam = z.object({ name: z.string().min(1).max(64) });
const ToolStateSchema = z.object({ name: z.string(), enabled: z.boolean(), changed: z.boolean() }).meta({ id: 'ToolState' });

/** POST /tools/{name}/enable and /disable (admin): take effect at once, announced on GET /events. */
export function registerToolsAdmin(app: OpenAPIHono<AppEnv>, deps: AppDeps): void {
  for (const action of ['enable', 'disable'] as const) {
    const route = createRoute({
      method: 'post',
      path: `/tools/{name}/${action}`,
      operationId: `${action}_tool`,
      tags: ['tools'],
      summary: `${action === 'enable' ? 'Enable' : 'Disable'} a tool without a restart (admin)`,
      security: bearer,
      middleware: [requireScope(deps.tokens, 'tools:admin')],
      request: { params: NameParam },
      responses: { 200: jsonBody(ToolStateSchema, 'OK', EX.toolState), ...errorResponses(401, 403, 404, 503) },
    });
    app.openapi(route, async (c) => {
      const { name } = c.req.valid('param');
      if (!deps.registry.get(name)) throw ApiError.of('NOT_FOUND', `No tool ${name}.`);
      const changed = await deps.registry.setEnabled(name, action === 'enable').catch(() => {
        throw ApiError.of('UNAVAILABLE', `The shared tool state is unavailable, so ${name} was not ${action}d.`, {
          recoverySuggestion: 'Try again in a few seconds; GET /health says whether the broker is back.',
          details: { tool: name, component: 'tool-state' },
        });
      });
      deps.audit?.({ kind: action, principal: c.var.principal.id, tool: name, outcome: changed ? 'changed' : 'unchanged' });
      return c.json({ name, enabled: deps.registry.isEnabled(name), changed }, 200);
    });
  }
}
