// /mcp traces each tools/call as the OpenTelemetry MCP semantic conventions say, exported over OTLP to a receiver
// this test starts on 127.0.0.1: span name "tools/call <tool>", mcp.method.name, gen_ai.tool.name, mcp.session.id,
// jsonrpc.request.id, error.type=tool_error for an isError result; the caller's _meta trace context is its parent and
// the job it starts is its child (the call goes to the route's functions, not through HTTP: no REST span between,
// functions/src/tool-call/direct-call.ts); without _meta, the /mcp request's own span is its parent.
import { randomBytes } from 'node:crypto';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Running, type RunningApi, startApi, startRunner } from '../helpers/processes';
import { type TestTokens, makeTokens } from '../helpers/tokens';
import { type HttpSession, connectHttp } from '../mcp/helpers/http-client';
import { type OtlpReceiver, startOtlpReceiver } from './otlp-receiver';

let rx: OtlpReceiver;
let tokens: TestTokens;
let api: RunningApi;
let runner: Running;
let http: HttpSession;

beforeAll(async () => {
  rx = await startOtlpReceiver();
  tokens = makeTokens();
  const otel = { OTEL_EXPORTER_OTLP_ENDPOINT: rx.url, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_BSP_SCHEDULE_DELAY: '50' };
  api = await startApi(tokens, { MCP_ALLOW_LOOPBACK: 'true', ...otel });
  runner = await startRunner(api, tokens, { MCP_ALLOW_LOOPBACK: 'true' });
  http = await connectHttp(api.url, tokens.client);
}, 30_000);
afterAll(async () => {
  await http?.close();
  await runner?.stop();
  await api?.stop();
  await rx?.close();
});

const hex = (bytes: number): string => randomBytes(bytes).toString('hex');

it('a tools/call is one SERVER span named by the conventions, under the caller, above the job it starts', async () => {
  const traceId = hex(16);
  const caller = hex(8);
  const r = await http.client.callTool({ name: 'ping', arguments: { target: '127.0.0.1', count: 1 }, _meta: { traceparent: `00-${traceId}-${caller}-01` } });
  expect(r.isError).toBeFalsy();
  const spans = await rx.waitFor((all) => all.some((s) => s.traceId === traceId && s.name === 'tools/call ping'), 15_000);
  const call = spans.find((s) => s.traceId === traceId && s.name === 'tools/call ping');
  expect(call).toMatchObject({
    service: 'netdiag-api',
    kind: 2,
    parentSpanId: caller,
    attributes: {
      'mcp.method.name': 'tools/call',
      'gen_ai.tool.name': 'ping',
      'gen_ai.operation.name': 'execute_tool',
      'mcp.session.id': http.transport.sessionId,
      'network.transport': 'tcp',
    },
  });
  expect(call?.attributes['jsonrpc.request.id']).toMatch(/^\d+$/);
  expect(call?.attributes['error.type']).toBeUndefined();
  const after = await rx.waitFor((all) => all.some((s) => s.traceId === traceId && s.name === 'job ping'), 15_000);
  expect(after.filter((s) => s.traceId === traceId && s.name === 'job ping').map((s) => s.parentSpanId)).toEqual([call?.spanId]);
  expect(after.some((s) => s.traceId === traceId && s.name === 'POST /tools/ping/execute')).toBe(false);
}, 30_000);

it('an isError result marks its span error.type=tool_error', async () => {
  const traceId = hex(16);
  const r = await http.client.callTool({ name: 'ping', arguments: { target: '0.0.0.0', count: 1 }, _meta: { traceparent: `00-${traceId}-${hex(8)}-01` } });
  expect(r.isError).toBe(true);
  const spans = await rx.waitFor((all) => all.some((s) => s.traceId === traceId && s.name === 'tools/call ping'), 15_000);
  expect(spans.find((s) => s.traceId === traceId && s.name === 'tools/call ping')).toMatchObject({
    attributes: { 'error.type': 'tool_error' },
    status: { code: 2 },
  });
}, 30_000);

it("without _meta.traceparent, hangs the tools/call span under the /mcp request's span (handed over on its AuthInfo)", async () => {
  const traceId = hex(16);
  const caller = hex(8);
  const headers = { authorization: `Bearer ${tokens.client}`, traceparent: `00-${traceId}-${caller}-01` };
  const transport = new StreamableHTTPClientTransport(new URL('/mcp', api.url), { requestInit: { headers } });
  const client = new Client({ name: 'trace-header-test', version: '1.0.0' });
  await client.connect(transport);
  try {
    expect((await client.callTool({ name: 'ping', arguments: { target: '127.0.0.1', count: 1 } })).isError).toBeFalsy();
  } finally {
    await transport.terminateSession().catch(() => undefined);
    await client.close();
  }
  const spans = await rx.waitFor((all) => all.some((s) => s.traceId === traceId && s.name === 'job ping'), 15_000);
  const mine = spans.filter((s) => s.traceId === traceId);
  const requests = new Set(mine.filter((s) => s.name === 'POST /mcp' && s.parentSpanId === caller).map((s) => s.spanId));
  const call = mine.find((s) => s.name === 'tools/call ping');
  expect(requests.has(call?.parentSpanId ?? '')).toBe(true);
  expect(mine.filter((s) => s.name === 'job ping').map((s) => s.parentSpanId)).toEqual([call?.spanId]);
}, 30_000);
