import { type Context as OtelContext, type Span, SpanKind, SpanStatusCode, type TextMapGetter, context, propagation, trace } from '@opentelemetry/api';
import type { Context, MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import type { AppEnv } from '../app-env';
import { afterAnswer } from './after-answer';
import { apiInstruments, statusLabel } from './instruments';
import { refusedCall } from './refusals';

const TRACER = 'netdiag-api';

/**
 * Requests that get no span (they are still timed): probes, scrapes, and runner claims, which park for up to
 * 25 s each and would make a trace of their own every time; a claim that gets a job shows as `job.claimed`.
 */
const UNTRACED: ReadonlySet<string> = new Set(['/livez', '/readyz', '/metrics', '/runner/claim']);

const headerGetter: TextMapGetter<Headers> = {
  keys: (h) => [...h.keys()],
  get: (h, key) => h.get(key) ?? undefined,
};

export interface HttpTelemetryOptions {
  /** Known tool names: refused calls are counted per tool only for these (bounded label values). */
  isTool: (name: string) => boolean;
}

/** The matched route template, e.g. /jobs/:id; `unmatched` for a 404 no route answered. */
function routeOf(c: Context<AppEnv>): string {
  const path = routePath(c, -1);
  return path === '*' || path === '/*' ? 'unmatched' : path;
}

/**
 * First middleware of the app: a SERVER span per request, continuing the caller's trace context (traceparent
 * header), active while the rest of the app runs so log lines and job spans hang under it; the request duration
 * histogram; and the counters for calls refused before any job existed (validation, target policy, rate limit).
 * The duration ends as the answer leaves the app; the histogram, the counters and the span's end are recorded after
 * the answer has been written (after-answer.ts, issue 12). Only @opentelemetry/api: without an SDK (Workers) all of it is a no-op.
 */
export function httpTelemetry(options: HttpTelemetryOptions): MiddlewareHandler<AppEnv> {
  return async function httpTelemetryMiddleware(c, next) {
    const started = performance.now();
    const method = c.req.method;
    let span: Span | undefined;
    if (UNTRACED.has(c.req.path)) {
      await next();
    } else {
      // A traceparent header wins; without one, a request the app makes to itself (/mcp's in-process calls) nests
      // under the span that made it. An outside request starts with no active span.
      const parent: OtelContext = propagation.extract(context.active(), c.req.raw.headers, headerGetter);
      span = trace
        .getTracer(TRACER)
        .startSpan(method, { kind: SpanKind.SERVER, attributes: { 'http.request.method': method, 'url.path': c.req.path } }, parent);
      await context.with(trace.setSpan(parent, span), next);
    }
    // The answer is complete and goes to the server now: the duration ends here; recording waits until it is out.
    const ended = performance.now();
    const status = c.res.status;
    afterAnswer(() => record(c, options, { method, status, seconds: (ended - started) / 1000, span, ended }));
  };
}

/** A request's metrics and span, once its answer is out (after-answer.ts). */
function record(
  c: Context<AppEnv>,
  options: HttpTelemetryOptions,
  r: { method: string; status: number; seconds: number; span: Span | undefined; ended: number },
): void {
  const { method, status, span } = r;
  const route = routeOf(c);
  const m = apiInstruments();
  m.http.record(r.seconds, { 'http.request.method': method, 'http.route': route, 'http.response.status_code': status });

  const refused = refusedCall(method, c.req.path, c.error, options.isTool);
  if (refused) {
    m.executions.add(1, { tool: refused.tool, status: statusLabel(refused.code) });
    if (refused.code === 'RATE_LIMITED') m.rateLimited.add(1, { tool: refused.tool });
    if (refused.validationReason !== undefined) m.validation.add(1, { tool: refused.tool, reason: refused.validationReason });
  }
  if (span) {
    const requestId = c.get('requestId');
    span.updateName(`${method} ${route}`);
    span.setAttributes({ 'http.route': route, 'http.response.status_code': status, ...(requestId ? { 'netdiag.request_id': requestId } : {}) });
    if (refused) span.setAttribute('error.type', refused.code);
    if (status >= 500) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: `HTTP ${status}` });
      if (c.error instanceof Error) span.recordException(c.error);
    }
    // performance.now() time: OpenTelemetry reads a number below the time origin as relative to it.
    span.end(r.ended);
  }
}
