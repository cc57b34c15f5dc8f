import { ROOT_CONTEXT, type TextMapGetter, isSpanContextValid, propagation, trace } from '@opentelemetry/api';
import { formatTraceparent } from '../../shared/telemetry/traceparent';
import { headerOf } from '../tool-call/header-of';

const recordGetter: TextMapGetter<Readonly<Record<string, string>>> = {
  keys: (h) => Object.keys(h),
  get: headerOf,
};

/**
 * The traceparent a direct /mcp tool call hands its job (tool-call/direct-call.ts): the caller's trace context from
 * its headers (the tools/call span's, functions/mcp/call-span.ts), read by the same propagator that reads a REST
 * request's traceparent header (http-telemetry.ts). Without a registered propagator (no SDK) there is none, as a
 * REST request then has none. The job's spans hang under the tools/call span (docs/design.md, "Streamable HTTP").
 */
export function callerTraceparent(headers: Readonly<Record<string, string>>): string | undefined {
  const sc = trace.getSpanContext(propagation.extract(ROOT_CONTEXT, headers, recordGetter));
  return sc && isSpanContextValid(sc) ? formatTraceparent(sc) : undefined;
}
