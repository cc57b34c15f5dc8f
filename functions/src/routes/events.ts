import { type OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { AppEnv } from '../app-env';
import { requireScope } from '../auth/require-scope';
import type { AppDeps } from '../deps';
import { builtinChecks, runHealth } from '../health/checks';
import { bearer, errorResponses } from '../schemas/responses';
import { API_EXAMPLES as EX } from '../schemas/api-examples';
import { busStream } from './sse';

export const SNAPSHOT_EVERY_MS = 5000;

/** `types=`: comma-separated event types, each exact (`runner.joined`) or a family (`runner.*`); `snapshot` for the snapshots. */
const TypesQuery = z
  .string()
  .max(512)
  .regex(/^[a-z_]+(\.[a-z_]+)*(\.\*)?(,[a-z_]+(\.[a-z_]+)*(\.\*)?)*$/, 'comma-separated event types, e.g. tools.list_changed,runner.*')
  .optional()
  .describe(
    'Only these event types (exact, or `family.*`; `snapshot` for the periodic snapshot). A client that needs a few types saves the API and itself a write and a wake-up per other event, e.g. three per tool call for job events.',
  );

/** Whether an event type is among the wanted ones (absent: all). */
export function typeFilter(types: string | undefined): (type: string) => boolean {
  if (types === undefined) return () => true;
  const exact = new Set<string>();
  const families: string[] = [];
  for (const t of types.split(',')) {
    if (t.endsWith('.*')) families.push(t.slice(0, -1));
    else exact.add(t);
  }
  return (type) => exact.has(type) || families.some((f) => type.startsWith(f));
}

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
    request: { query: z.object({ types: TypesQuery }) },
    responses: {
      200: { description: 'text/event-stream', content: { 'text/event-stream': { schema: z.string(), example: EX.events } } },
      ...errorResponses(401, 403),
    },
  });
  app.openapi(route, (c) => {
    const principal = c.var.principal;
    const admin = principal.scopes.has('tools:admin');
    const wanted = typeFilter(c.req.valid('query').types);
    const tick = {
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
    };
    return busStream(c, deps.events, {
      filter: (e) => wanted(e.type) && (admin || !e.type.startsWith('job.') || e.data['principal'] === principal.id),
      ...(wanted('snapshot') ? { tick } : {}),
    }) as never;
  });
}
