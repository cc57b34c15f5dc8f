import { type OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { AppEnv } from '../app-env';
import { requireScope } from '../auth/require-scope';
import { buildConfigReport } from '../config/config-report';
import type { AppDeps } from '../deps';
import { bearer, errorResponses, jsonBody } from '../schemas/responses';
import { API_EXAMPLES as EX } from '../schemas/api-examples';

const ConfigValueSchema = z.union([z.string(), z.number(), z.boolean(), z.null(), z.record(z.string(), z.number())]);

const ConfigReportSchema = z
  .object({
    file: z.string().nullable().describe('The configuration file read at start-up (MCP_CONFIG_FILE), if any.'),
    settings: z.array(
      z.object({
        key: z.string().describe('Environment variable name (file keys map onto these).'),
        value: ConfigValueSchema.describe('Effective value after defaults and clamping; "[redacted]" for secrets.'),
        source: z.enum(['env', 'file', 'default']),
        redacted: z.boolean(),
      }),
    ),
    warnings: z
      .array(z.object({ key: z.string(), given: z.string(), used: z.string(), message: z.string() }))
      .describe('Values clamped into their safe range at start-up.'),
  })
  .meta({ id: 'ConfigReport' });

/** GET /config (admin): the effective configuration and where each value came from, secrets redacted. */
export function registerConfig(app: OpenAPIHono<AppEnv>, deps: AppDeps): void {
  const route = createRoute({
    method: 'get',
    path: '/config',
    operationId: 'get_config',
    tags: ['service'],
    summary: 'Effective configuration with sources (env, file, default), secrets redacted (admin)',
    security: bearer,
    middleware: [requireScope(deps.tokens, 'tools:admin')],
    responses: { 200: jsonBody(ConfigReportSchema, 'OK', EX.config), ...errorResponses(401, 403) },
  });
  const report = deps.config ?? buildConfigReport({});
  app.openapi(route, (c) => c.json(report, 200));
}
