/**
 * The shim's fetch for API calls when tracing is on. Its requests get no CLIENT span (issue 12): each already carries
 * its tools/call span's traceparent (the server puts `_meta.traceparent` on the call's requests,
 * functions/mcp/call-meta.ts), so the API's SERVER span is that span's child, as the runner's job requests are
 * (runner/src/telemetry/job-fetch.ts). A CLIENT span repeated the API's span for the same request, for ~0.1 ms of the
 * shim's CPU per call (its start and header on the answer's path; shim CPU added by tracing per MCP ping 0.25-0.26 ->
 * 0.15-0.16 ms, issue 12). What it alone showed, a request that failed before the API answered it (refused
 * connection, TLS, reset, time-out) or a 5xx from something between (a proxy), becomes an `api.request.failed` event
 * on the call's span; a successful request costs one await here and nothing else. The request's client-side duration
 * is no longer recorded: the API's span gives the server side, the gap before it the shim's and the network's share.
 */
import type { AttributeValue, Span } from '@opentelemetry/api';
import { fetchInputUrl } from '../../../functions/shared/telemetry/fetch-input-url';
import { parseTraceparent } from '../../../functions/shared/telemetry/traceparent';

export const FAILED_REQUEST_EVENT = 'api.request.failed';

/** The open tools/call span a traceparent names (by its span id), if it is still open. */
export type OpenCallSpan = (spanId: string) => Span | undefined;

type Input = Parameters<typeof fetch>[0];

/** The traceparent header the server put on the request, if any. */
function traceparentOf(input: Input, init: RequestInit | undefined): string | undefined {
  const h = init?.headers ?? (input instanceof Request ? input.headers : undefined);
  if (h === undefined) return undefined;
  if (h instanceof Headers) return h.get('traceparent') ?? undefined;
  if (Array.isArray(h)) return h.find(([k]) => k.toLowerCase() === 'traceparent')?.[1];
  return (h as Readonly<Record<string, string>>)['traceparent'];
}

/** Method and URL (without its query) of the request, as the HTTP semantic conventions name them. */
function requestAttributes(input: Input, init: RequestInit | undefined): Record<string, AttributeValue> {
  const method = init?.method ?? (input instanceof Request ? input.method : 'GET');
  const raw = fetchInputUrl(input);
  const url = URL.canParse(raw) ? new URL(raw) : undefined;
  return { 'http.request.method': method, ...(url ? { 'url.full': `${url.origin}${url.pathname}`, 'server.address': url.hostname } : {}) };
}

function note(openCall: OpenCallSpan, input: Input, init: RequestInit | undefined, outcome: Record<string, AttributeValue>): void {
  const spanId = parseTraceparent(traceparentOf(input, init))?.spanId;
  const span = spanId === undefined ? undefined : openCall(spanId);
  span?.addEvent(FAILED_REQUEST_EVENT, { ...requestAttributes(input, init), ...outcome });
}

/** A Node error's code (ECONNREFUSED), also when fetch wraps it as its cause; else the error's name. */
function errorType(err: unknown): string {
  const codeOf = (e: unknown): unknown => (typeof e === 'object' && e !== null ? (e as { code?: unknown }).code : undefined);
  const code = codeOf(err) ?? codeOf(err instanceof Error ? err.cause : undefined);
  return typeof code === 'string' ? code : err instanceof Error ? err.name : 'fetch failed';
}

export function failedRequestEvents(inner: typeof fetch, openCall: OpenCallSpan): typeof fetch {
  return async function failedRequestEventsCall(input, init) {
    let response: Response;
    try {
      response = await inner(input, init);
    } catch (err) {
      note(openCall, input, init, {
        'error.type': errorType(err),
        'exception.message': err instanceof Error ? err.message : String(err),
      });
      throw err;
    }
    if (response.status >= 500) note(openCall, input, init, { 'error.type': String(response.status), 'http.response.status_code': response.status });
    return response;
  };
}
