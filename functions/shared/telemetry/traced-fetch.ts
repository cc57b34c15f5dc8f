import { SpanKind, SpanStatusCode, type TextMapSetter, context, propagation, trace } from '@opentelemetry/api';

const setter: TextMapSetter<Headers> = { set: (h, key, value) => h.set(key, value) };

/**
 * A fetch that makes a CLIENT span per request and sends the trace context in the request headers (traceparent,
 * through the registered propagator). Only inside a recording span: requests made outside any (a runner's idle
 * claims, a shim's tools/list) pass through untouched instead of starting a trace each.
 */
export function tracedFetch(inner: typeof fetch, tracerName: string): typeof fetch {
  return async function tracedFetchCall(input, init) {
    const parent = trace.getActiveSpan();
    if (!parent?.isRecording()) return inner(input, init);
    // openapi-fetch hands over a Request of its own: add the header to it rather than copy it (a copy turns the body into a stream).
    const request = input instanceof Request && init === undefined ? input : new Request(input, init);
    const url = new URL(request.url);
    const span = trace.getTracer(tracerName).startSpan(request.method, {
      kind: SpanKind.CLIENT,
      attributes: {
        'http.request.method': request.method,
        'url.full': `${url.origin}${url.pathname}`,
        'server.address': url.hostname,
        ...(url.port ? { 'server.port': Number(url.port) } : {}),
      },
    });
    const ctx = trace.setSpan(context.active(), span);
    propagation.inject(ctx, request.headers, setter);
    try {
      const response = await context.with(ctx, () => inner(request));
      span.setAttribute('http.response.status_code', response.status);
      if (response.status >= 400) span.setStatus({ code: SpanStatusCode.ERROR, message: `HTTP ${response.status}` });
      return response;
    } catch (err) {
      span.recordException(err instanceof Error ? err : String(err));
      span.setStatus({ code: SpanStatusCode.ERROR, message: err instanceof Error ? err.name : 'fetch failed' });
      throw err;
    } finally {
      span.end();
    }
  };
}
