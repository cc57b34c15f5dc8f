import { type OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { AppEnv } from '../app-env';
import { requireScope } from '../auth/require-scope';
import type { AppDeps } from '../deps';
import { ApiError } from '../errors/api-error';
import { bearer, errorResponses } from '../schemas/responses';
import { API_EXAMPLES as EX } from '../schemas/api-examples';
import { MetricsJsonSchema, metricsJson } from './metrics-json';
import { PROMETHEUS_CONTENT_TYPE } from '../../shared/telemetry/metrics-source';
import { flushAfterAnswer } from './after-answer';

/** JSON when asked for with ?format=json, or by an Accept header that prefers JSON to text. */
function wantsJson(format: string | undefined, accept: string | undefined): boolean {
  if (format !== undefined) return format === 'json';
  return /\bapplication\/json\b/i.test(accept ?? '') && !/\btext\/plain\b/i.test(accept ?? '');
}

/**
 * GET /metrics: Prometheus text from the OpenTelemetry SDK's own serializer, served by the app (no second port),
 * or the same numbers as JSON (docs/design.md, "Observability"). Needs the `metrics` scope (a scrape token) or `tools:admin`.
 */
export function registerMetrics(app: OpenAPIHono<AppEnv>, deps: Pick<AppDeps, 'tokens' | 'metrics'>): void {
  const route = createRoute({
    method: 'get',
    path: '/metrics',
    operationId: 'get_metrics',
    tags: ['service'],
    summary: 'Metrics: Prometheus text, or JSON with ?format=json (scope metrics or tools:admin)',
    description:
      'Tool executions by outcome, execution durations, active and queued jobs, timeouts, circuit breakers as the runners report them, ' +
      'connected runners, HTTP request durations, rate-limit and validation refusals. 404 on runtimes without an OpenTelemetry SDK (Workers).',
    security: bearer,
    middleware: [requireScope(deps.tokens, ['metrics', 'tools:admin'])],
    request: {
      query: z.object({ format: z.enum(['prometheus', 'json']).optional().describe('Default prometheus; Accept: application/json also selects JSON.') }),
    },
    responses: {
      200: {
        description: 'The current figures.',
        content: {
          'text/plain': { schema: z.string().describe('Prometheus text exposition format 0.0.4'), example: EX.metricsText },
          'application/json': { schema: MetricsJsonSchema, example: EX.metricsJson },
        },
      },
      ...errorResponses(400, 401, 403, 404),
    },
  });
  app.openapi(route, async (c) => {
    const source = deps.metrics;
    if (!source) {
      throw ApiError.of('NOT_FOUND', 'Metrics are not collected on this runtime (no OpenTelemetry SDK).', {
        recoverySuggestion: 'Read /metrics from the Node entry of the API.',
      });
    }
    flushAfterAnswer(); // what earlier requests still owe (their duration, refusals) counts in this scrape
    const scrape = await source.scrape();
    c.header('cache-control', 'no-store');
    if (wantsJson(c.req.valid('query').format, c.req.header('accept'))) return c.json(metricsJson(scrape, source.system()), 200);
    return c.text(scrape.text, 200, { 'content-type': PROMETHEUS_CONTENT_TYPE });
  });
}
