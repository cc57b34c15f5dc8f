import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ROOT_CONTEXT, SpanKind, context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FinishedSpan } from '../../../shim/src/telemetry/lite/lite-span';
import { LiteTracerProvider } from '../../../shim/src/telemetry/lite/lite-tracer';
import { W3CPropagator } from '../../../shim/src/telemetry/lite/w3c-propagator';
import { plainHttpFetch } from '../node/http-fetch';
import { parseTraceparent } from './traceparent';
import { tracedFetch } from './traced-fetch';

const spans: FinishedSpan[] = [];
const seen: Array<string | undefined> = [];
const server = createServer((req, res) => {
  seen.push(req.headers['traceparent'] as string | undefined);
  req.resume();
  req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'));
});
let url = '';
const manager = new AsyncLocalStorageContextManager();

beforeAll(async () => {
  context.setGlobalContextManager(manager.enable());
  propagation.setGlobalPropagator(new W3CPropagator());
  trace.setGlobalTracerProvider(new LiteTracerProvider((s) => spans.push(s)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  trace.disable();
  propagation.disable();
  context.disable();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** Runs `fn` inside a recording SERVER span, as the shim's tools/call span. */
const inSpan = async <T>(fn: () => Promise<T>): Promise<{ result: T; parentId: string }> => {
  const parent = trace.getTracer('test').startSpan('parent', { kind: SpanKind.SERVER }, ROOT_CONTEXT);
  try {
    return { result: await context.with(trace.setSpan(ROOT_CONTEXT, parent), fn), parentId: parent.spanContext().spanId };
  } finally {
    parent.end();
  }
};

const afterTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('tracedFetch', () => {
  it("keeps the SDK's JSON call as a string URL and plain headers, so it still goes over node:http, with the CLIENT span's traceparent", async () => {
    const refuse: typeof fetch = () => Promise.reject(new Error('fell back to fetch'));
    const inner = plainHttpFetch(refuse);
    const handed: Array<{ input: unknown; headers: unknown }> = [];
    const traced = tracedFetch((input, init) => {
      handed.push({ input, headers: init?.headers });
      return inner(input, init);
    }, 'test');
    const given = { 'content-type': 'application/json' };
    const { result, parentId } = await inSpan(() => traced(`${url}/tools/ping/execute`, { method: 'POST', headers: given, body: '{}' }));
    // The CLIENT span is annotated and ended after the caller's turn (issue 12), not on the answer's path.
    expect(spans.some((s) => s.kind === SpanKind.CLIENT)).toBe(false);
    await afterTurn();
    expect(await result.json()).toEqual({ ok: true });
    expect(typeof handed[0]?.input).toBe('string');
    expect(handed[0]?.headers).toMatchObject({ 'content-type': 'application/json', traceparent: expect.any(String) });
    expect(given).toEqual({ 'content-type': 'application/json' }); // the caller's object is not changed
    const client = spans.find((s) => s.kind === SpanKind.CLIENT && s.name === 'POST');
    expect(client?.parentSpanId).toBe(parentId);
    expect(client?.attributes).toMatchObject({ 'url.full': `${url}/tools/ping/execute`, 'server.address': '127.0.0.1', 'http.response.status_code': 200 });
    expect(parseTraceparent(seen.at(-1))?.spanId).toBe(client?.context.spanId);
  });

  it('adds the header to a Request it is handed, and leaves calls outside a span untouched', async () => {
    const traced = tracedFetch(globalThis.fetch, 'test');
    await inSpan(() => traced(new Request(`${url}/a`)));
    await afterTurn();
    const client = spans.find((s) => s.kind === SpanKind.CLIENT && s.name === 'GET');
    expect(parseTraceparent(seen.at(-1))?.spanId).toBe(client?.context.spanId);
    const before = spans.length;
    await traced(`${url}/b`, { headers: {} });
    expect(seen.at(-1)).toBeUndefined();
    expect(spans).toHaveLength(before);
  });

  it('outside any span, traces a request under the context `parentOf` finds from its URL', async () => {
    const job = trace.getTracer('test').startSpan('run ping', { kind: SpanKind.CONSUMER }, ROOT_CONTEXT);
    const jobs = new Map([['/jobs/j1/complete', trace.setSpan(ROOT_CONTEXT, job)]]);
    const traced = tracedFetch(plainHttpFetch(globalThis.fetch), 'test', (u) => jobs.get(new URL(u).pathname));
    await traced(`${url}/jobs/j1/complete`, { method: 'POST', headers: {}, body: '{}' });
    await afterTurn();
    job.end();
    const client = spans.find((s) => s.kind === SpanKind.CLIENT && s.attributes['url.full'] === `${url}/jobs/j1/complete`);
    expect(client?.parentSpanId).toBe(job.spanContext().spanId);
    expect(parseTraceparent(seen.at(-1))?.spanId).toBe(client?.context.spanId);
    const before = spans.length;
    await traced(`${url}/jobs/j2/complete`, { method: 'POST', headers: {}, body: '{}' });
    expect(seen.at(-1)).toBeUndefined();
    expect(spans).toHaveLength(before);
  });

  it("or from the traceparent the request already carries, which the CLIENT span's replaces (the shim's calls)", async () => {
    const call = trace.getTracer('test').startSpan('tools/call ping', { kind: SpanKind.SERVER }, ROOT_CONTEXT);
    const given = `00-${call.spanContext().traceId}-${call.spanContext().spanId}-01`;
    const traced = tracedFetch(plainHttpFetch(globalThis.fetch), 'test', (_u, tp) => (tp === given ? trace.setSpan(ROOT_CONTEXT, call) : undefined));
    await traced(`${url}/tools/ping/execute`, { method: 'POST', headers: { traceparent: given }, body: '{}' });
    await afterTurn();
    call.end();
    const client = spans.find((s) => s.kind === SpanKind.CLIENT && s.parentSpanId === call.spanContext().spanId);
    expect(client?.attributes['url.full']).toBe(`${url}/tools/ping/execute`);
    expect(parseTraceparent(seen.at(-1))?.spanId).toBe(client?.context.spanId);
  });
});
