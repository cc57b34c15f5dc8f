// One trace per call, exported over OTLP to a receiver this test starts on 127.0.0.1: the caller's span → the API's
// SERVER span → the job span → the runner's span (it pulls the job, so the context travels in the claim response)
// → the process; and the runner's report back, whose API span continues the runner's run span.
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Running, type RunningApi, startApi, startRunner } from '../helpers/processes';
import { type ShimSession, connectShim } from '../helpers/shim-client';
import { type TestTokens, makeTokens } from '../helpers/tokens';
import { type OtlpReceiver, type ReceivedSpan, startOtlpReceiver } from './otlp-receiver';

const KIND = { internal: 1, server: 2, client: 3, consumer: 5 } as const;

let rx: OtlpReceiver;
let tokens: TestTokens;
let api: RunningApi;
let runner: Running;

/** OTLP export to the test's receiver, in OTLP/JSON, with a short batch delay so spans arrive promptly. */
const otel = (): Record<string, string> => ({ OTEL_EXPORTER_OTLP_ENDPOINT: rx.url, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_BSP_SCHEDULE_DELAY: '50' });

beforeAll(async () => {
  rx = await startOtlpReceiver();
  tokens = makeTokens();
  api = await startApi(tokens, { MCP_ALLOW_LOOPBACK: 'true', ...otel() });
  runner = await startRunner(api, tokens, { MCP_ALLOW_LOOPBACK: 'true', ...otel() });
});
afterAll(async () => {
  await runner?.stop();
  await api?.stop();
  await rx?.close();
});

const hex = (bytes: number): string => randomBytes(bytes).toString('hex');

function one(spans: readonly ReceivedSpan[], what: string, match: (s: ReceivedSpan) => boolean): ReceivedSpan {
  const found = spans.filter(match);
  expect(found, `${what}: ${found.length} spans match among ${spans.map((s) => `${s.service}:${s.name}`).join(', ')}`).toHaveLength(1);
  return found[0] as ReceivedSpan;
}

/** Whether every span the chain checks below has arrived (API and runner export on their own schedules). */
const complete =
  (traceId: string) =>
  (spans: readonly ReceivedSpan[]): boolean => {
    const t = spans.filter((s) => s.traceId === traceId);
    const names = ['POST /tools/ping/execute', 'job ping', 'run ping', 'exec ping', 'POST /runner/jobs/:id/complete'];
    return names.every((name) => t.some((s) => s.name === name));
  };

/** The shim's call span, its calls to the execute route (API SERVER spans, no shim CLIENT span between) and the job's spans have all arrived. */
const shimChain =
  (traceId: string) =>
  (spans: readonly ReceivedSpan[]): boolean => {
    const t = spans.filter((s) => s.traceId === traceId);
    return complete(traceId)(spans) && t.some((s) => s.service === 'netdiag-shim' && s.kind === KIND.server);
  };

describe('one trace from the caller to the binary', () => {
  const traceId = hex(16);
  const callerSpanId = hex(8);
  let spans: ReceivedSpan[];
  let jobId: string;

  beforeAll(async () => {
    const res = await fetch(`${api.url}/tools/ping/execute`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.client}`, 'content-type': 'application/json', traceparent: `00-${traceId}-${callerSpanId}-01` },
      body: JSON.stringify({ target: '127.0.0.1', count: 1 }),
    });
    expect(res.status).toBe(200);
    jobId = ((await res.json()) as { jobId: string }).jobId;
    spans = (await rx.waitFor(complete(traceId), 15_000)).filter((s) => s.traceId === traceId);
  });

  it('links caller → API server span → job (claim as an event) → runner span → process', () => {
    const server = one(spans, 'API server span', (s) => s.name === 'POST /tools/ping/execute');
    expect(server).toMatchObject({ service: 'netdiag-api', kind: KIND.server, parentSpanId: callerSpanId });
    expect(server.attributes).toMatchObject({ 'http.route': '/tools/ping/execute', 'http.response.status_code': 200 });

    const job = one(spans, 'job span', (s) => s.name === 'job ping');
    expect(job).toMatchObject({ service: 'netdiag-api', parentSpanId: server.spanId });
    expect(job.attributes).toMatchObject({ 'netdiag.job.id': jobId, 'netdiag.tool': 'ping', 'netdiag.job.status': 'succeeded' });
    // The job's phases are events on its span, not spans (issue 12): the claim names the runner.
    expect(job.events.map((e) => e.name)).toEqual(['job.claimed']);
    expect(job.events[0]?.attributes).toMatchObject({ 'netdiag.job.attempt': 1 });
    expect(typeof job.events[0]?.attributes['netdiag.runner.id']).toBe('string');
    expect(
      spans
        .filter((s) => s.service === 'netdiag-api')
        .map((s) => s.name)
        .sort(),
    ).toEqual(['POST /runner/jobs/:id/complete', 'POST /tools/ping/execute', 'job ping']);

    const run = one(spans, 'runner span', (s) => s.name === 'run ping');
    expect(run).toMatchObject({ service: 'netdiag-runner', kind: KIND.consumer, parentSpanId: job.spanId });
    expect(run.attributes).toMatchObject({ 'netdiag.job.id': jobId, 'netdiag.job.status': 'succeeded', 'netdiag.resolved_address': '127.0.0.1' });

    const exec = one(spans, 'process span', (s) => s.name === 'exec ping');
    expect(exec).toMatchObject({ service: 'netdiag-runner', parentSpanId: run.spanId });
    expect(exec.attributes).toMatchObject({
      'netdiag.tool': 'ping',
      'netdiag.target': '127.0.0.1',
      'netdiag.resolved_address': '127.0.0.1',
      'process.exit.code': 0,
      'netdiag.output.truncated': false,
      'process.executable.path': expect.stringMatching(/\/ping$/),
    });
    expect(exec.attributes['netdiag.output.stdout_bytes']).toBeGreaterThan(0);
    expect(typeof exec.attributes['netdiag.exec.duration_ms']).toBe('number');
  });

  it("continues into the API through the runner's report (run span → completion SERVER span, no CLIENT span between)", () => {
    const run = one(spans, 'runner span', (s) => s.name === 'run ping');
    const completion = one(spans, 'completion', (s) => s.name === 'POST /runner/jobs/:id/complete');
    expect(completion).toMatchObject({ service: 'netdiag-api', kind: KIND.server, parentSpanId: run.spanId });
    expect(completion.attributes).toMatchObject({ 'http.response.status_code': 200 });
    // The runner's spans of the job: its run and its process (issue 12: its report carries the run span's context).
    expect(
      spans
        .filter((s) => s.service === 'netdiag-runner')
        .map((s) => s.name)
        .sort(),
    ).toEqual(['exec ping', 'run ping']);
  });

  it('puts the trace and span ids on the log lines written inside it', () => {
    const lines = (text: string): Array<Record<string, unknown>> =>
      text
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, unknown>);
    const server = one(spans, 'API server span', (s) => s.name === 'POST /tools/ping/execute');
    expect(lines(api.logs()).find((l) => l['path'] === '/tools/ping/execute')).toMatchObject({ trace_id: traceId, span_id: server.spanId });
    const run = one(spans, 'runner span', (s) => s.name === 'run ping');
    expect(lines(runner.logs()).find((l) => l['msg'] === 'job finished' && l['jobId'] === jobId)).toMatchObject({ trace_id: traceId, span_id: run.spanId });
  });

  it('starts a trace of its own for a call without traceparent', async () => {
    const res = await fetch(`${api.url}/tools/ping/execute`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.client}`, 'content-type': 'application/json' },
      body: JSON.stringify({ target: '127.0.0.1', count: 1 }),
    });
    const { jobId: id } = (await res.json()) as { jobId: string };
    // The API and the runner export on their own schedules: wait for both ends of the trace.
    const runOf = (all: readonly ReceivedSpan[]): ReceivedSpan | undefined => all.find((x) => x.name === 'run ping' && x.attributes['netdiag.job.id'] === id);
    const serverOf = (all: readonly ReceivedSpan[], run: ReceivedSpan | undefined): ReceivedSpan | undefined =>
      all.find((x) => x.traceId === run?.traceId && x.name === 'POST /tools/ping/execute');
    const all = await rx.waitFor((s) => serverOf(s, runOf(s)) !== undefined, 15_000);
    const run = runOf(all) as ReceivedSpan;
    expect(serverOf(all, run)?.parentSpanId).toBe('');
    expect(run.traceId).not.toBe(traceId);
  });
});

describe("the shim starts the trace, or continues the MCP client's (_meta.traceparent)", () => {
  let shim: ShimSession;
  beforeAll(async () => {
    shim = await connectShim({ NETDIAG_API_URL: api.url, NETDIAG_TOKEN: tokens.client, ...otel() });
  });
  afterAll(async () => {
    await shim?.close();
  });

  /**
   * The API SERVER spans of a call's requests are the tools/call span's children: its requests carry its traceparent and
   * get no CLIENT span of their own (shim/src/telemetry/failed-request-events.ts, issue 12).
   */
  function checkShimChain(spans: readonly ReceivedSpan[], call: ReceivedSpan): void {
    expect(spans.filter((s) => s.service === 'netdiag-shim').map((s) => s.spanId)).toEqual([call.spanId]);
    const servers = spans.filter((s) => s.name === 'POST /tools/ping/execute');
    expect(servers.length).toBeGreaterThanOrEqual(1); // one held POST, or start (202) then hold when someone follows the job
    for (const server of servers) expect(server).toMatchObject({ service: 'netdiag-api', kind: KIND.server, parentSpanId: call.spanId });
    const job = one(spans, 'job span', (s) => s.name === 'job ping');
    expect(servers.map((s) => s.spanId)).toContain(job.parentSpanId);
    expect(one(spans, 'runner span', (s) => s.name === 'run ping').parentSpanId).toBe(job.spanId);
    expect(call.events).toEqual([]);
  }

  it("makes the tools/call span a child of the client's traceparent", async () => {
    const traceId = hex(16);
    const clientSpanId = hex(8);
    const result = await shim.client.callTool({
      name: 'ping',
      arguments: { target: '127.0.0.1', count: 1 },
      _meta: { traceparent: `00-${traceId}-${clientSpanId}-01` },
    });
    expect(result.isError).toBeFalsy();
    const spans = (await rx.waitFor(shimChain(traceId), 15_000)).filter((s) => s.traceId === traceId);
    const call = one(spans, 'tools/call span', (s) => s.service === 'netdiag-shim' && s.kind === KIND.server);
    expect(call).toMatchObject({ name: 'tools/call ping', parentSpanId: clientSpanId });
    expect(call.attributes).toMatchObject({ 'mcp.method.name': 'tools/call', 'gen_ai.tool.name': 'ping' });
    checkShimChain(spans, call);
  });

  it('makes the tools/call span the root when the client sends no traceparent', async () => {
    const result = await shim.client.callTool({ name: 'ping', arguments: { target: '127.0.0.1', count: 1 } });
    const jobId = (result.structuredContent as { jobId?: string } | undefined)?.jobId;
    const seen = new Set(rx.spans.filter((s) => s.service === 'netdiag-shim' && s.kind === KIND.server).map((s) => s.spanId));
    const all = await rx.waitFor(
      (s) => s.some((x) => x.service === 'netdiag-shim' && x.kind === KIND.server && x.parentSpanId === '' && !seen.has(x.spanId)),
      15_000,
    );
    const call = all.find((x) => x.service === 'netdiag-shim' && x.kind === KIND.server && x.parentSpanId === '' && !seen.has(x.spanId)) as ReceivedSpan;
    const spans = (await rx.waitFor(shimChain(call.traceId), 15_000)).filter((s) => s.traceId === call.traceId);
    if (jobId) expect(one(spans, 'job span', (s) => s.name === 'job ping').attributes['netdiag.job.id']).toBe(jobId);
    checkShimChain(spans, call);
  });
});

describe('a shim request that never reaches the API', () => {
  let shim: ShimSession;
  beforeAll(async () => {
    // A port nothing listens on: the shim's request is refused, so no API span exists for it.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    shim = await connectShim({ NETDIAG_API_URL: `http://127.0.0.1:${port}`, NETDIAG_TOKEN: tokens.client, ...otel() });
  });
  afterAll(async () => {
    await shim?.close();
  });

  it('shows as an api.request.failed event on the tools/call span, with the error and the URL', async () => {
    const traceId = hex(16);
    const result = await shim.client
      .callTool({ name: 'ping', arguments: { target: '127.0.0.1', count: 1 }, _meta: { traceparent: `00-${traceId}-${hex(8)}-01` } })
      .then(
        (r) => r.isError === true,
        () => true,
      );
    expect(result).toBe(true);
    const spans = (await rx.waitFor((s) => s.some((x) => x.traceId === traceId && x.service === 'netdiag-shim'), 15_000)).filter((s) => s.traceId === traceId);
    const call = one(spans, 'tools/call span', (s) => s.service === 'netdiag-shim' && s.kind === KIND.server);
    expect(call.events.length).toBeGreaterThanOrEqual(1);
    for (const event of call.events) {
      expect(event.name).toBe('api.request.failed');
      expect(event.attributes).toMatchObject({
        'http.request.method': 'POST',
        'url.full': expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/tools\/ping\/execute$/),
        'error.type': 'ECONNREFUSED',
      });
    }
  });
});
