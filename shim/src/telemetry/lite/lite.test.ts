import { ROOT_CONTEXT, SpanKind, SpanStatusCode, TraceFlags, defaultTextMapGetter, defaultTextMapSetter, trace } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { formatTraceparent, parseTraceparent } from '../../../../functions/shared/telemetry/traceparent';
import { BatchExporter } from './batch-exporter';
import type { FinishedSpan } from './lite-span';
import { LiteTracer } from './lite-tracer';
import { otlpTraceConfig } from './otlp-config';
import { otlpJsonBody } from './otlp-json';
import { W3CPropagator } from './w3c-propagator';

const collect = (): { spans: FinishedSpan[]; tracer: LiteTracer } => {
  const spans: FinishedSpan[] = [];
  return { spans, tracer: new LiteTracer('test', (s) => spans.push(s)) };
};

describe('traceparent', () => {
  it('round-trips and refuses malformed values', () => {
    const tp = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const sc = parseTraceparent(tp);
    expect(sc).toMatchObject({ traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: 1, isRemote: true });
    expect(sc && formatTraceparent(sc)).toBe(tp);
    for (const bad of [
      '',
      '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331',
      'ff-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      '00-00000000000000000000000000000000-b7ad6b7169203331-01',
      '00-0AF7651916CD43DD8448EB211C80319C-b7ad6b7169203331-01',
      `${tp}-extra`,
    ]) {
      expect(parseTraceparent(bad), bad).toBeUndefined();
    }
  });
});

describe('LiteTracer', () => {
  it('reads a performance.now() time as relative to the time origin, as the SDK does, and a larger number as epoch ms', () => {
    const { spans, tracer } = collect();
    const epochNs = (ms: number): bigint => BigInt(Math.round(ms)) * 1_000_000n;
    tracer.startSpan('perf', { startTime: performance.now() }, ROOT_CONTEXT).end(performance.now());
    const now = Date.now();
    tracer.startSpan('epoch', { startTime: now - 5 }, ROOT_CONTEXT).end(now);
    const [perf, epoch] = spans;
    const near = (ns: string | undefined): boolean => Math.abs(Number(BigInt(ns ?? '0') - epochNs(now))) < 5_000_000_000;
    expect(near(perf?.startNs) && near(perf?.endNs)).toBe(true);
    expect(BigInt(epoch?.endNs ?? '0') - BigInt(epoch?.startNs ?? '0')).toBe(5_000_000n);
    expect(near(epoch?.endNs)).toBe(true);
  });

  it('makes a child of the span in the given context, and a root with a fresh trace id otherwise', () => {
    const { spans, tracer } = collect();
    const root = tracer.startSpan('root', { kind: SpanKind.SERVER, attributes: { a: 1 } }, ROOT_CONTEXT);
    const child = tracer.startSpan('child', {}, trace.setSpan(ROOT_CONTEXT, root));
    child.setAttribute('b', 'x').setStatus({ code: SpanStatusCode.ERROR, message: 'no' }).end();
    root.end();
    root.setAttribute('late', true);
    expect(spans.map((s) => s.name)).toEqual(['child', 'root']);
    const [c, r] = spans as [FinishedSpan, FinishedSpan];
    expect(c.context.traceId).toBe(r.context.traceId);
    expect(c.parentSpanId).toBe(r.context.spanId);
    expect(r.parentSpanId).toBeUndefined();
    expect(r.attributes).toEqual({ a: 1 });
    expect(c.status).toEqual({ code: SpanStatusCode.ERROR, message: 'no' });
    expect(BigInt(r.endNs) >= BigInt(r.startNs)).toBe(true);
  });

  it('follows an unsampled remote parent without recording', () => {
    const { spans, tracer } = collect();
    const parent = parseTraceparent('00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00');
    const span = tracer.startSpan('x', {}, trace.setSpanContext(ROOT_CONTEXT, parent as NonNullable<typeof parent>));
    expect(span.isRecording()).toBe(false);
    expect(span.spanContext()).toMatchObject({ traceId: '0af7651916cd43dd8448eb211c80319c', traceFlags: TraceFlags.NONE });
    span.end();
    expect(spans).toEqual([]);
  });
});

describe('W3CPropagator', () => {
  it('injects the active span context and extracts it again, tracestate included', () => {
    const p = new W3CPropagator();
    const carrier: Record<string, string> = { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01', tracestate: 'vendor=1' };
    const ctx = p.extract(ROOT_CONTEXT, carrier, defaultTextMapGetter);
    const out: Record<string, string> = {};
    p.inject(ctx, out, defaultTextMapSetter);
    expect(out).toEqual(carrier);
    expect(p.extract(ROOT_CONTEXT, { traceparent: 'garbage' }, defaultTextMapGetter)).toBe(ROOT_CONTEXT);
  });
});

describe('OTLP/JSON export', () => {
  const config = otlpTraceConfig(
    { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318/', OTEL_EXPORTER_OTLP_HEADERS: 'x-key=a%20b', OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '2' },
    'netdiag-shim',
  );

  it('reads the standard variables, and stays off without an endpoint or when disabled', () => {
    expect(config).toMatchObject({ url: 'http://127.0.0.1:4318/v1/traces', headers: { 'x-key': 'a b' }, maxBatch: 2, serviceName: 'netdiag-shim' });
    expect(otlpTraceConfig({}, 'x')).toBeUndefined();
    expect(otlpTraceConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318', OTEL_SDK_DISABLED: 'true' }, 'x')).toBeUndefined();
    expect(otlpTraceConfig({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://127.0.0.1:9/t', OTEL_SERVICE_NAME: 'mine' }, 'x')).toMatchObject({
      url: 'http://127.0.0.1:9/t',
      serviceName: 'mine',
    });
  });

  it('writes hex ids, OTLP kinds, nanosecond times and typed attributes', () => {
    const { spans, tracer } = collect();
    tracer.startSpan('s', { kind: SpanKind.CLIENT, attributes: { n: 2, f: 1.5, b: true, list: ['a'] } }, ROOT_CONTEXT).end();
    const body = otlpJsonBody(spans, { 'service.name': 'svc' }) as {
      resourceSpans: Array<{ resource: unknown; scopeSpans: Array<{ scope: { name: string }; spans: Array<Record<string, unknown>> }> }>;
    };
    const span = body.resourceSpans[0]?.scopeSpans[0]?.spans[0];
    expect(body.resourceSpans[0]?.resource).toEqual({ attributes: [{ key: 'service.name', value: { stringValue: 'svc' } }] });
    expect(body.resourceSpans[0]?.scopeSpans[0]?.scope).toEqual({ name: 'test' });
    expect(span).toMatchObject({
      name: 's',
      kind: 3,
      traceId: expect.stringMatching(/^[0-9a-f]{32}$/),
      spanId: expect.stringMatching(/^[0-9a-f]{16}$/),
      startTimeUnixNano: expect.stringMatching(/^\d{19}$/),
    });
    expect(span?.['attributes']).toEqual([
      { key: 'n', value: { intValue: '2' } },
      { key: 'f', value: { doubleValue: 1.5 } },
      { key: 'b', value: { boolValue: true } },
      { key: 'list', value: { arrayValue: { values: [{ stringValue: 'a' }] } } },
    ]);
  });

  it('sends full batches at once and the rest on flush, with the configured headers', async () => {
    const posts: Array<{ url: string; headers: Record<string, string>; spans: number }> = [];
    const send: typeof fetch = async (url, init) => {
      const body = JSON.parse(String(init?.body)) as { resourceSpans: Array<{ scopeSpans: Array<{ spans: unknown[] }> }> };
      posts.push({ url: String(url), headers: init?.headers as Record<string, string>, spans: body.resourceSpans[0]?.scopeSpans[0]?.spans.length ?? 0 });
      return new Response('{}');
    };
    const exporter = new BatchExporter(config as NonNullable<typeof config>, send);
    const tracer = new LiteTracer('t', exporter.onEnd);
    for (let i = 0; i < 3; i += 1) tracer.startSpan(`s${i}`, {}, ROOT_CONTEXT).end();
    await exporter.forceFlush();
    expect(posts.map((p) => p.spans)).toEqual([2, 1]);
    expect(posts[0]).toMatchObject({ url: 'http://127.0.0.1:4318/v1/traces', headers: { 'x-key': 'a b', 'content-type': 'application/json' } });
  });

  it('reports a failed export instead of throwing', async () => {
    const errors: string[] = [];
    const exporter = new BatchExporter(
      config as NonNullable<typeof config>,
      async () => new Response('no', { status: 503 }),
      (m) => errors.push(m),
    );
    new LiteTracer('t', exporter.onEnd).startSpan('s', {}, ROOT_CONTEXT).end();
    await exporter.forceFlush();
    expect(errors).toEqual(['OTLP export got HTTP 503 for 1 spans']);
  });
});
