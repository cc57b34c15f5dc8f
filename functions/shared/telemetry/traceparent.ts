/**
 * W3C Trace Context `traceparent` strings (version 00) to and from span contexts. Used for the trace context that
 * travels inside job records and claim responses, which is always W3C whatever propagator the HTTP headers use.
 */
import { type Context, ROOT_CONTEXT, type SpanContext, TraceFlags, isSpanContextValid, trace } from '@opentelemetry/api';

// version-traceid-parentid-flags, lower-case hex; version ff and all-zero ids are invalid.
const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(?:-.*)?$/;

/** Longest traceparent this project stores or accepts (version 00 is exactly 55 characters). */
export const TRACEPARENT_MAX_LENGTH = 55;

export function formatTraceparent(sc: SpanContext): string {
  const flags = (sc.traceFlags & TraceFlags.SAMPLED) === TraceFlags.SAMPLED ? '01' : '00';
  return `00-${sc.traceId}-${sc.spanId}-${flags}`;
}

/** The span context a traceparent names (remote), or undefined when it is malformed. */
export function parseTraceparent(value: string | undefined): SpanContext | undefined {
  if (value === undefined || value.length > 512) return undefined;
  const m = TRACEPARENT.exec(value.trim());
  if (!m || m[1] === 'ff' || (m[1] === '00' && value.trim().length !== TRACEPARENT_MAX_LENGTH)) return undefined;
  const sc: SpanContext = { traceId: m[2] ?? '', spanId: m[3] ?? '', traceFlags: Number.parseInt(m[4] ?? '00', 16) & TraceFlags.SAMPLED, isRemote: true };
  return isSpanContextValid(sc) ? sc : undefined;
}

/** A context whose parent is the span a traceparent names; the root context when there is none. */
export function contextFromTraceparent(value: string | undefined, base: Context = ROOT_CONTEXT): Context {
  const sc = parseTraceparent(value);
  return sc ? trace.setSpanContext(base, sc) : base;
}
