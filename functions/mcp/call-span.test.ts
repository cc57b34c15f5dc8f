// traceToolCall's parent without an async context (every Node process runs SyncContextManager, issue 12): the
// caller's _meta traceparent, else the carrying request's (transportTraceparent: /mcp's request span, handed over on
// the call's AuthInfo by functions/src/mcp-http/route.ts); the API requests of the call get the call span's own.
import { expect, it } from 'vitest';
import type { FinishedSpan } from '../../shim/src/telemetry/lite/lite-span';
import { collectLiteSpans } from '../../test/helpers/lite-spans';
import { parseTraceparent } from '../shared/telemetry/traceparent';
import { traceToolCall } from './call-span';

const spans = collectLiteSpans();

const META = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
const TRANSPORT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
const OPTIONS = { tracer: 'test', networkTransport: 'tcp' } as const;

async function call(traceHeaders: Record<string, string>, transportTraceparent: string | undefined): Promise<{ span: FinishedSpan; sent: string }> {
  let sent = '';
  await traceToolCall(OPTIONS, { tool: 'ping', requestId: 1, sessionId: 's', traceHeaders, transportTraceparent }, async (headers) => {
    sent = headers['traceparent'] ?? '';
    return { content: [] };
  });
  const span = spans.at(-1) as FinishedSpan;
  return { span, sent };
}

it('is a child of the request that carried the call when _meta names no parent, and hands on its own traceparent', async () => {
  const { span, sent } = await call({}, TRANSPORT);
  expect(span.context.traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
  expect(span.parentSpanId).toBe('00f067aa0ba902b7');
  expect(parseTraceparent(sent)).toMatchObject({ traceId: span.context.traceId, spanId: span.context.spanId });
});

it("prefers the caller's _meta traceparent", async () => {
  const { span } = await call({ traceparent: META }, TRANSPORT);
  expect(span.context.traceId).toBe('0af7651916cd43dd8448eb211c80319c');
  expect(span.parentSpanId).toBe('b7ad6b7169203331');
});

it('starts a trace of its own with neither', async () => {
  const { span } = await call({}, undefined);
  expect(span.parentSpanId ?? '').toBe('');
  expect(span.context.traceId).not.toMatch(/^(0af76519|4bf92f35)/);
});
