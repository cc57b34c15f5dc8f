import { type OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { AppEnv } from '../app-env';
import { requireScope } from '../auth/require-scope';
import type { AppDeps } from '../deps';
import { builtinChecks, runHealth } from '../health/checks';
import { bearer, errorResponses } from '../schemas/responses';
import { API_EXAMPLES as EX } from '../schemas/api-examples';
import { busStream } from './sse';

export const SNAPSHOT_EVERY_MS = 5000;

/**
 * GET /events: service events (tools.list_changed, job.*, …) with Last-Event-ID resume, and a health and
 * queue snapshot every 5 s (docs/design.md, "Observability"). Non-admins see only their own jobs' events.
 */
export function registerEvents(app: OpenAPIHono<AppEnv>, deps: AppDeps): void {
  const checks = [...builtinChecks(deps), ...(deps.healthChecks ?? [])];
  const route = createRoute({
    method: 'get',
    path: '/events',
    operationId: 'service_events',
    tags: ['events'],
    summary: 'Server-sent service events and periodic snapshots',
    security: bearer,
    middleware: [requireScope(deps.tokens, 'tools:read')],
    responses: {
      200: { description: 'text/event-stream', content: { 'text/event-stream': { schema: z.string(), example: EX.events } } },
      ...errorResponses(401, 403),
    },
  });
  app.openapi(route, (c) => {
    const principal = c.var.principal;
    const admin = principal.scopes.has('tools:admin');
    return busStream(c, deps.events, {
      filter: (e) => admin || !e.type.startsWith('job.') || e.data['principal'] === principal.id,
      tick: {
        everyMs: SNAPSHOT_EVERY_MS,
        build: async () => {
          const health = await runHealth(checks);
          const runners = await deps.jobs.runners();
          const queued = (await deps.jobs.list({ status: 'queued' })).length;
          const running = (await deps.jobs.list({ status: 'running' })).length;
          return {
            event: 'snapshot',
            data: { health: { status: health.status }, runners: runners.length, jobs: { queued, running }, time: new Date().toISOString() },
          };
        },
      },
    }) as never;
  });
}
