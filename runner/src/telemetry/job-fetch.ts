/**
 * The runner's fetch: a running job's own requests (its heartbeats and its report, /runner/jobs/<id>/...) carry its
 * `run` span's trace context (traceparent, through the registered propagator), so the API's span for each continues
 * the run span; every other request (claims, registration) passes through untouched. They get no CLIENT span of their
 * own (issue 12): in the npm start configuration that span's start, header and end came to ~0.1 ms on the path from the
 * job's exit to the report reaching the API (`runner.completePosted → api.completeArrived`, tracing off vs on), for a
 * span that repeated the API's SERVER span for the same request. A report that never reaches the API has no span;
 * its 'could not report outcome' line carries the run span's ids (job-span.ts, the logger's lookup).
 */
import { type TextMapSetter, propagation } from '@opentelemetry/api';
import { fetchInputUrl } from '../../../functions/shared/telemetry/fetch-input-url';
import { jobContextOfUrl } from './job-span';

const recordSetter: TextMapSetter<Record<string, string>> = {
  set: (h, key, value) => {
    h[key] = value;
  },
};
const headersSetter: TextMapSetter<Headers> = { set: (h, key, value) => h.set(key, value) };

export function jobTraceFetch(inner: typeof fetch): typeof fetch {
  return function jobTraceFetchCall(input, init) {
    const ctx = jobContextOfUrl(fetchInputUrl(input));
    if (!ctx) return inner(input, init);
    const given = init?.headers;
    // The SDK's JSON calls (a string URL, headers as a plain object) keep that form, the header added to a copy: the
    // node:http transport under it (functions/shared/node/http-fetch.ts) takes only that form.
    if (typeof input === 'string' && !(given instanceof Headers) && !Array.isArray(given)) {
      const headers: Record<string, string> = { ...given };
      propagation.inject(ctx, headers, recordSetter);
      return inner(input, { ...init, headers });
    }
    const request = input instanceof Request && init === undefined ? input : new Request(input, init);
    propagation.inject(ctx, request.headers, headersSetter);
    return inner(request);
  };
}
