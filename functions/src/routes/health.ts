import { type OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { AppEnv } from '../app-env';
import { requireScope } from '../auth/require-scope';
import type { AppDeps } from '../deps';
import { HTTP_BY_HEALTH, builtinChecks, runHealth } from '../health/checks';
import { bearer, errorResponses, jsonBody } from '../schemas/responses';
import { API_EXAMPLES as EX } from '../schemas/api-examples';

export const HealthReportSchema = z
  .object({
    status: z.enum(['healthy', 'degraded', 'unhealthy']),
    checks: z.array(
      z.object({
        name: z.string(),
        priority: z.number().int().min(1).max(5).describe('1 CRITICAL, 2 HIGH, 3 MEDIUM, 4 LOW, 5 INFORMATIONAL'),
        status: z.enum(['healthy', 'degraded', 'unhealthy']),
        message: z.string(),
        details: z.record(z.string(), z.unknown()).optional(),
      }),
    ),
  })
  .meta({ id: 'HealthReport' });

const ReadinessSchema = z.object({ ready: z.boolean() }).meta({ id: 'Readiness' });

export function registerHealth(app: OpenAPIHono<AppEnv>, deps: AppDeps): void {
  const checks = [...builtinChecks(deps), ...(deps.healthChecks ?? [])];
  const health = createRoute({
    method: 'get',
    path: '/health',
    operationId: 'get_health',
    tags: ['health'],
    summary: 'Health checks: 200 healthy, 207 degraded, 503 unhealthy',
    security: bearer,
    middleware: [requireScope(deps.tokens, 'tools:read')],
    responses: {
      200: jsonBody(HealthReportSchema, 'Healthy', EX.healthy),
      207: jsonBody(HealthReportSchema, 'Degraded', EX.degraded),
      503: jsonBody(HealthReportSchema, 'Unhealthy', EX.unhealthy),
      ...errorResponses(401, 403),
    },
  });
  app.openapi(health, async (c) => {
    const report = await runHealth(checks);
    return c.json(report, HTTP_BY_HEALTH[report.status]);
  });

  const ready = createRoute({
    method: 'get',
    path: '/readyz',
    operationId: 'readyz',
    tags: ['health'],
    summary: 'Readiness: 200 while serving, 503 while draining for shutdown',
    security: bearer,
    middleware: [requireScope(deps.tokens, 'tools:read')],
    responses: {
      200: jsonBody(ReadinessSchema, 'OK', EX.ready),
      503: jsonBody(ReadinessSchema, 'Not ready: draining for shutdown', EX.notReady),
      ...errorResponses(401, 403),
    },
  });
  app.openapi(ready, (c) => (deps.lifecycle.draining ? c.json({ ready: false }, 503) : c.json({ ready: true }, 200)));
}
