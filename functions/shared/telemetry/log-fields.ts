import { isSpanContextValid, trace } from '@opentelemetry/api';

/**
 * pino `mixin`: the active span's ids on every log line written inside a span (each request in the API, each job
 * in the runner), so a log line leads to its trace and back. Lines outside any span get nothing.
 */
export function traceLogFields(): { trace_id?: string; span_id?: string; trace_flags?: string } {
  const sc = trace.getActiveSpan()?.spanContext();
  if (!sc || !isSpanContextValid(sc)) return {};
  return { trace_id: sc.traceId, span_id: sc.spanId, trace_flags: sc.traceFlags.toString(16).padStart(2, '0') };
}
