/** A recording span for the lite tracer: @opentelemetry/api's Span, kept in plain fields until it ends. */
import type { Attributes, AttributeValue, Exception, Link, Span, SpanAttributes, SpanContext, SpanKind, SpanStatus, TimeInput } from '@opentelemetry/api';

export interface FinishedSpan {
  scope: string;
  name: string;
  kind: SpanKind;
  context: SpanContext;
  parentSpanId: string | undefined;
  /** Unix epoch nanoseconds, as decimal strings (OTLP/JSON). */
  startNs: string;
  endNs: string;
  attributes: Attributes;
  events: Array<{ name: string; timeNs: string; attributes: Attributes }>;
  status: SpanStatus;
}

export type SpanSink = (span: FinishedSpan) => void;

/** Now, in epoch milliseconds with sub-millisecond precision. */
export const nowMs = (): number => performance.timeOrigin + performance.now();

function toMs(t: TimeInput | undefined): number {
  if (t === undefined) return nowMs();
  // A number not past performance.now() is a performance.now() time, as the SDK reads it (job-traces.ts and the
  // request spans pass those); a larger one is epoch milliseconds.
  if (typeof t === 'number') return t <= performance.now() ? performance.timeOrigin + t : t;
  if (t instanceof Date) return t.getTime();
  return t[0] * 1000 + t[1] / 1e6;
}

/** Epoch ms to the decimal nanoseconds OTLP wants, without losing the integer part to float rounding. */
export function msToNs(ms: number): string {
  const whole = Math.floor(ms);
  return (BigInt(whole) * 1_000_000n + BigInt(Math.round((ms - whole) * 1e6))).toString();
}

const isTime = (v: unknown): v is TimeInput => typeof v === 'number' || v instanceof Date || Array.isArray(v);

export class LiteSpan implements Span {
  private readonly attributes: Attributes = {};
  private readonly events: FinishedSpan['events'] = [];
  private status: SpanStatus = { code: 0 };
  private readonly startMs: number;
  private ended = false;

  constructor(
    private readonly scope: string,
    private name: string,
    private readonly kind: SpanKind,
    private readonly context: SpanContext,
    private readonly parentSpanId: string | undefined,
    private readonly sink: SpanSink,
    attributes: SpanAttributes | undefined,
    startTime: TimeInput | undefined,
  ) {
    this.startMs = toMs(startTime);
    if (attributes) this.setAttributes(attributes);
  }

  spanContext(): SpanContext {
    return this.context;
  }

  setAttribute(key: string, value: AttributeValue | undefined): this {
    if (!this.ended && value !== undefined) this.attributes[key] = value;
    return this;
  }

  setAttributes(attributes: SpanAttributes): this {
    for (const [k, v] of Object.entries(attributes)) this.setAttribute(k, v);
    return this;
  }

  addEvent(name: string, attributesOrTime?: SpanAttributes | TimeInput, time?: TimeInput): this {
    if (this.ended || this.events.length >= 128) return this;
    const attributes = isTime(attributesOrTime) ? {} : { ...(attributesOrTime ?? {}) };
    this.events.push({ name, timeNs: msToNs(toMs(isTime(attributesOrTime) ? attributesOrTime : time)), attributes });
    return this;
  }

  addLink(_link: Link): this {
    return this;
  }

  addLinks(_links: Link[]): this {
    return this;
  }

  setStatus(status: SpanStatus): this {
    if (!this.ended) this.status = status;
    return this;
  }

  updateName(name: string): this {
    if (!this.ended) this.name = name;
    return this;
  }

  isRecording(): boolean {
    return !this.ended;
  }

  recordException(exception: Exception, time?: TimeInput): void {
    const e = typeof exception === 'string' ? { message: exception } : exception;
    const attributes: SpanAttributes = { 'exception.message': e.message ?? String(exception) };
    if (e.name) attributes['exception.type'] = e.name;
    if (e.stack) attributes['exception.stacktrace'] = e.stack;
    this.addEvent('exception', attributes, time);
  }

  end(endTime?: TimeInput): void {
    if (this.ended) return;
    this.ended = true;
    const { scope, name, kind, context, parentSpanId, attributes, events, status } = this;
    this.sink({
      scope,
      name,
      kind,
      context,
      parentSpanId,
      startNs: msToNs(this.startMs),
      endNs: msToNs(Math.max(this.startMs, toMs(endTime))),
      attributes,
      events,
      status,
    });
  }
}
