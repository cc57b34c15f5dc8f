import { type Context, type TextMapGetter, type TextMapPropagator, type TextMapSetter, createTraceState, trace } from '@opentelemetry/api';
import { formatTraceparent, parseTraceparent } from '../../../../functions/shared/telemetry/traceparent';

const first = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v);

/** W3C Trace Context (traceparent, tracestate) for the lite tracer; the SDK's propagator does the same in the Node entries. */
export class W3CPropagator implements TextMapPropagator {
  inject(ctx: Context, carrier: unknown, setter: TextMapSetter): void {
    const sc = trace.getSpanContext(ctx);
    if (!sc || !parseTraceparent(formatTraceparent(sc))) return;
    setter.set(carrier, 'traceparent', formatTraceparent(sc));
    const state = sc.traceState?.serialize();
    if (state) setter.set(carrier, 'tracestate', state);
  }

  extract(ctx: Context, carrier: unknown, getter: TextMapGetter): Context {
    const sc = parseTraceparent(first(getter.get(carrier, 'traceparent')));
    if (!sc) return ctx;
    const state = first(getter.get(carrier, 'tracestate'));
    return trace.setSpanContext(ctx, state ? { ...sc, traceState: createTraceState(state) } : sc);
  }

  fields(): string[] {
    return ['traceparent', 'tracestate'];
  }
}
