/**
 * A tracer small enough for the bundled shim (a few KB over @opentelemetry/api instead of the SDK's ~150 KB):
 * parent-based sampling (a root is sampled, a child follows its parent), random W3C ids, finished spans handed to
 * a sink (the OTLP/JSON batcher). Runtime-neutral: crypto.getRandomValues and performance only.
 */
import {
  type Context,
  type Span,
  SpanKind,
  type SpanOptions,
  TraceFlags,
  type Tracer,
  type TracerProvider,
  context,
  isSpanContextValid,
  trace,
} from '@opentelemetry/api';
import { LiteSpan, type SpanSink } from './lite-span';
import { randomHex } from './random-id';

type ActiveFn = (span: Span) => unknown;

export class LiteTracer implements Tracer {
  constructor(
    private readonly scope: string,
    private readonly sink: SpanSink,
  ) {}

  startSpan(name: string, options: SpanOptions = {}, ctx: Context = context.active()): Span {
    const parent = options.root ? undefined : trace.getSpanContext(ctx);
    const valid = parent !== undefined && isSpanContextValid(parent);
    const traceId = valid ? parent.traceId : randomHex(16);
    const spanId = randomHex(8);
    if (valid && (parent.traceFlags & TraceFlags.SAMPLED) === 0) {
      return trace.wrapSpanContext({ traceId, spanId, traceFlags: TraceFlags.NONE, ...(parent.traceState ? { traceState: parent.traceState } : {}) });
    }
    const sc = { traceId, spanId, traceFlags: TraceFlags.SAMPLED, ...(valid && parent.traceState ? { traceState: parent.traceState } : {}) };
    return new LiteSpan(
      this.scope,
      name,
      options.kind ?? SpanKind.INTERNAL,
      sc,
      valid ? parent.spanId : undefined,
      this.sink,
      options.attributes,
      options.startTime,
    );
  }

  startActiveSpan<F extends ActiveFn>(name: string, fn: F): ReturnType<F>;
  startActiveSpan<F extends ActiveFn>(name: string, options: SpanOptions, fn: F): ReturnType<F>;
  startActiveSpan<F extends ActiveFn>(name: string, options: SpanOptions, ctx: Context, fn: F): ReturnType<F>;
  startActiveSpan<F extends ActiveFn>(name: string, a?: SpanOptions | F, b?: Context | F, c?: F): ReturnType<F> {
    const fn = (c ?? (typeof b === 'function' ? b : a)) as F;
    const options = typeof a === 'object' ? a : {};
    const parent = typeof b === 'object' ? b : context.active();
    const span = this.startSpan(name, options, parent);
    return context.with(trace.setSpan(parent, span), () => fn(span)) as ReturnType<F>;
  }
}

export class LiteTracerProvider implements TracerProvider {
  constructor(private readonly sink: SpanSink) {}

  getTracer(name: string): Tracer {
    return new LiteTracer(name, this.sink);
  }
}
