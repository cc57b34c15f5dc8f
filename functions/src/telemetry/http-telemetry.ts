import { type Context as OtelContext, ROOT_CONTEXT, type Span, SpanKind, SpanStatusCode, type TextMapGetter, propagation, trace } from '@opentelemetry/api';
import type { Context, MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import type { AppEnv } from '../app-env';
import { afterAnswer } from './after-answer';
import { apiInstruments } from './instruments';
import { countRefusal } from './refusal-metrics';
import { refusedCall } from './refusals';

const TRACER = 'netdiag-api';

/**
 * Requests that get no span (they are still timed): probes, scrapes, and runner claims, which park for up to
 * 25 s each and would make a trace of their own every time; a claim that gets a job shows as the `job.claimed` event
 * on its job span (job-traces.ts).
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
 * header), kept on the request's context for the rest of the app (request-trace.ts: its log line and its job's spans
 * hang under it); the request duration histogram; and the counters for calls refused before any job existed
 * (validation, target policy, rate limit).
 * The duration ends as the answer leaves the app; the histogram, the counters and the span's end are recorded after
 * the answer has been written (after-answer.ts, issue 12). Only @opentelemetry/api: without an SDK (Workers) all of it is a no-op.
 */
export function httpTelemetry(options: HttpTelemetryOptions): MiddlewareHandler<AppEnv> {
  return async function httpTelemetryMiddleware(c, next) {
    const started = performance.now();
    const method = c.req.method;
    let traceContext: (() => OtelContext) | undefined;
    if (UNTRACED.has(c.req.path)) {
      await next();
    } else {
      // The span is made when first asked for (request-trace.ts: the job's traceparent, /mcp's tools/call parent),
      // else after the answer (its request line, its end), with the request's arrival as its start: a request that
      // hands its trace context to nothing (a runner's report, a refusal) makes its span off the answer's path (issue 12).
      let made: OtelContext | undefined;
      traceContext = () => (made ??= startRequestSpan(c, method, started));
      c.set('traceContext', traceContext);
      await next();
    }
    // The answer is complete and goes to the server now: the duration ends here; recording waits until it is out.
    const ended = performance.now();
    const status = c.res.status;
    afterAnswer(() => record(c, options, { method, status, seconds: (ended - started) / 1000, span: traceContext && trace.getSpan(traceContext()), ended }));
  };
}

/**
 * The request's SERVER span, under the caller's traceparent header if any (/mcp's in-process requests carry their
 * tools/call span's, functions/mcp/call-span.ts, as a network caller's would); nothing comes from an active context.
 */
function startRequestSpan(c: Context<AppEnv>, method: string, startTime: number): OtelContext {
  const parent = propagation.extract(ROOT_CONTEXT, c.req.raw.headers, headerGetter);
  const attributes = { 'http.request.method': method, 'url.path': c.req.path };
  // performance.now() time: OpenTelemetry reads a number below the time origin as relative to it.
  return trace.setSpan(parent, trace.getTracer(TRACER).startSpan(method, { kind: SpanKind.SERVER, attributes, startTime }, parent));
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
  if (refused) countRefusal(refused);
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
