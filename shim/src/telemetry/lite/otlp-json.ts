/** Finished spans as an OTLP/JSON ExportTraceServiceRequest (ids in hex, times as decimal nanoseconds). */
import type { AttributeValue, Attributes } from '@opentelemetry/api';
import type { FinishedSpan } from './lite-span';

type AnyValue = { stringValue: string } | { boolValue: boolean } | { intValue: string } | { doubleValue: number } | { arrayValue: { values: AnyValue[] } };

function anyValue(v: AttributeValue | null | undefined): AnyValue {
  if (Array.isArray(v)) return { arrayValue: { values: (v as Array<AttributeValue | null | undefined>).map(anyValue) } };
  if (typeof v === 'boolean') return { boolValue: v };
  if (typeof v === 'number') return Number.isInteger(v) ? { intValue: String(v) } : { doubleValue: v };
  return { stringValue: String(v ?? '') };
}

const keyValues = (attributes: Attributes): Array<{ key: string; value: AnyValue }> =>
  Object.entries(attributes)
    .filter(([, v]) => v !== undefined)
    .map(([key, v]) => ({ key, value: anyValue(v) }));

/** One request body: spans grouped by instrumentation scope under one resource. */
export function otlpJsonBody(spans: readonly FinishedSpan[], resource: Attributes): unknown {
  const byScope = new Map<string, FinishedSpan[]>();
  for (const s of spans) byScope.set(s.scope, [...(byScope.get(s.scope) ?? []), s]);
  return {
    resourceSpans: [
      {
        resource: { attributes: keyValues(resource) },
        scopeSpans: [...byScope].map(([name, list]) => ({
          scope: { name },
          spans: list.map((s) => ({
            traceId: s.context.traceId,
            spanId: s.context.spanId,
            ...(s.parentSpanId ? { parentSpanId: s.parentSpanId } : {}),
            ...(s.context.traceState ? { traceState: s.context.traceState.serialize() } : {}),
            name: s.name,
            kind: s.kind + 1,
            startTimeUnixNano: s.startNs,
            endTimeUnixNano: s.endNs,
            attributes: keyValues(s.attributes),
            events: s.events.map((e) => ({ name: e.name, timeUnixNano: e.timeNs, attributes: keyValues(e.attributes) })),
            status: { code: s.status.code, ...(s.status.message ? { message: s.status.message } : {}) },
          })),
        })),
      },
    ],
  };
}
