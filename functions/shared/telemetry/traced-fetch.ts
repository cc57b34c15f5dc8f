import { type Context, SpanKind, SpanStatusCode, type TextMapSetter, context, propagation, trace } from '@opentelemetry/api';

const headersSetter: TextMapSetter<Headers> = { set: (h, key, value) => h.set(key, value) };
const recordSetter: TextMapSetter<Record<string, string>> = {
  set: (h, key, value) => {
    h[key] = value;
  },
};

/** After this turn's I/O (Node's setImmediate); at once where there is none. */
const afterThisTurn = (work: () => void): void => {
  if (typeof setImmediate === 'function') setImmediate(work);
  else work();
};

type PlainHeaders = Readonly<Record<string, string>>;
const plainHeaders = (h: HeadersInit | undefined): PlainHeaders | undefined =>
  h === undefined ? {} : h instanceof Headers || Array.isArray(h) ? undefined : (h as PlainHeaders);

/** The request's URL as a string, without building a Request. */
const urlOf = (input: Parameters<typeof fetch>[0]): string => (typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);

/** The traceparent header the caller already put on the request, if any. */
function givenTraceparent(input: Parameters<typeof fetch>[0], init: RequestInit | undefined): string | undefined {
  const h = init?.headers ?? (input instanceof Request ? input.headers : undefined);
  if (h === undefined) return undefined;
  if (h instanceof Headers) return h.get('traceparent') ?? undefined;
  if (Array.isArray(h)) return h.find(([k]) => k.toLowerCase() === 'traceparent')?.[1];
  return (h as Readonly<Record<string, string>>)['traceparent'];
}

/**
 * A fetch that makes a CLIENT span per request and sends the trace context in the request headers (traceparent,
 * through the registered propagator). Only inside a recording span: requests made outside any (a shim's
 * tools/list) pass through untouched instead of starting a trace each. `parentOf`: the parent context for a request
 * made outside any active span, from its URL or the traceparent it already carries; how a process without async
 * context propagation (functions/shared/telemetry/sync-context-manager.ts) still traces its requests: the shim's
 * calls for a tools/call (shim/src/telemetry.ts). The CLIENT span's traceparent replaces the one given. (The runner's
 * job requests carry their run span's context without a CLIENT span: runner/src/telemetry/job-fetch.ts.)
 */
export function tracedFetch(
  inner: typeof fetch,
  tracerName: string,
  parentOf?: (url: string, traceparent: string | undefined) => Context | undefined,
): typeof fetch {
  return async function tracedFetchCall(input, init) {
    const active = trace.getActiveSpan();
    const base = active ? context.active() : parentOf?.(urlOf(input), givenTraceparent(input, init));
    const parent = active ?? (base ? trace.getSpan(base) : undefined);
    if (!base || !parent?.isRecording()) return inner(input, init);
    // The SDK's JSON calls (a string URL, headers as a plain object) stay in that form, the header added to a copy:
    // the node:http transport under it (shared/node/http-fetch.ts) takes only that form, and a Request built here
    // would send a traced call through undici's fetch, ~0.3 ms more per call (issue 12).
    const plain = typeof input === 'string' ? plainHeaders(init?.headers) : undefined;
    // openapi-fetch hands over a Request of its own: add the header to it rather than copy it (a copy turns the body into a stream).
    const request = plain !== undefined ? undefined : input instanceof Request && init === undefined ? input : new Request(input, init);
    const method = request?.method ?? init?.method ?? 'GET';
    const url = new URL(request?.url ?? (input as string));
    const span = trace.getTracer(tracerName).startSpan(
      method,
      {
        kind: SpanKind.CLIENT,
        attributes: {
          'http.request.method': method,
          'url.full': `${url.origin}${url.pathname}`,
          'server.address': url.hostname,
          ...(url.port ? { 'server.port': Number(url.port) } : {}),
        },
      },
      base,
    );
    const ctx = trace.setSpan(base, span);
    let send: () => Promise<Response>;
    if (request) {
      propagation.inject(ctx, request.headers, headersSetter);
      send = () => inner(request);
    } else {
      const headers: Record<string, string> = { ...plain };
      propagation.inject(ctx, headers, recordSetter);
      send = () => inner(input, { ...init, headers });
    }
    let outcome: { status: number } | { err: unknown };
    try {
      const response = await context.with(ctx, send);
      outcome = { status: response.status };
      return response;
    } catch (err) {
      outcome = { err };
      throw err;
    } finally {
      // The span ends when the answer is in, but is annotated and ended after the caller's turn: the shim's call
      // finishes in it and writes its result (issue 12).
      const endTime = performance.now();
      afterThisTurn(() => {
        if ('err' in outcome) {
          const { err } = outcome;
          span.recordException(err instanceof Error ? err : String(err));
          span.setStatus({ code: SpanStatusCode.ERROR, message: err instanceof Error ? err.name : 'fetch failed' });
        } else {
          span.setAttribute('http.response.status_code', outcome.status);
          if (outcome.status >= 400) span.setStatus({ code: SpanStatusCode.ERROR, message: `HTTP ${outcome.status}` });
        }
        // performance.now() time: OpenTelemetry reads a number below the time origin as relative to it.
        span.end(endTime);
      });
    }
  };
}
