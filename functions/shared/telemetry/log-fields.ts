import { type SpanContext, isSpanContextValid, trace } from '@opentelemetry/api';

/** The span a log line belongs to, found from the line's own fields (setTraceLogLookup). */
type Lookup = (fields: Readonly<Record<string, unknown>>) => SpanContext | undefined;

let lookup: Lookup | undefined;

/**
 * For a process without async context propagation (the runner: functions/shared/telemetry/sync-context-manager.ts):
 * lines written outside any active span are matched to a span by their fields (a job's lines carry its `jobId`).
 */
export function setTraceLogLookup(fn: Lookup | undefined): void {
  lookup = fn;
}

/**
 * pino `mixin`: the ids of the span a log line is written in, or else of the span its fields name (setTraceLogLookup),
 * on every line (each request in the API, each job in the runner), so a log line leads to its trace and back. Lines
 * outside any span get nothing.
 */
export function traceLogFields(fields: object = {}): { trace_id?: string; span_id?: string; trace_flags?: string } {
  const sc = trace.getActiveSpan()?.spanContext() ?? lookup?.(fields as Readonly<Record<string, unknown>>);
  if (!sc || !isSpanContextValid(sc)) return {};
  return { trace_id: sc.traceId, span_id: sc.spanId, trace_flags: sc.traceFlags.toString(16).padStart(2, '0') };
}
