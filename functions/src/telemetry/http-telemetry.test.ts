// The app served by node-server on loopback, as functions/node.ts serves it, with the Prometheus reader GET /metrics
// uses: each request's log line, duration metric and refusal counters are recorded after its answer has gone out
// (after-answer.ts; issue 12), and none is lost, with the status and the duration of the request.
import { createHash } from 'node:crypto';
import { metrics } from '@opentelemetry/api';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { type Scrape, histogramValue, value } from '../../../test/observability/prometheus';
import { type LoggedLine, capturingLogger } from '../../../test/helpers/test-logger';
import { prometheusSource } from '../../shared/node/prometheus-source';
import { TOOL_EXAMPLES } from '../routes/tool-examples';
import { createApp } from '../app';
import { createDeps } from '../create-deps';
import type { AppDeps } from '../deps';
import { type ServedApp, serveOnLoopback } from '../../../test/helpers/serve-app';

const sha256 = (t: string): string => createHash('sha256').update(t).digest('hex');
const CLIENT = 'client-secret-token-1234567890';
const RUNNER = 'runner-secret-token-1234567890';
/** How long the test's runner holds the job: the held call's recorded duration cannot be shorter. */
const HOLD_MS = 40;

const reader = new PrometheusExporter({ preventServerStart: true });
let deps: AppDeps;
let served: ServedApp;
let url: string;
let lines: LoggedLine[];

beforeAll(async () => {
  metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }));
  const captured = capturingLogger();
  lines = captured.lines;
  deps = createDeps({
    env: { MCP_RATE_LIMIT_PER_MINUTE: '0', MCP_ALLOW_LOOPBACK: 'true' },
    version: 'test',
    logger: captured.logger,
    metrics: prometheusSource(reader),
    tokens: [
      { id: 'client', sha256: sha256(CLIENT), scopes: ['tools:read', 'tools:run', 'metrics'] },
      { id: 'runner', sha256: sha256(RUNNER), scopes: ['runner'] },
    ],
  });
  const app = createApp(deps);
  served = await serveOnLoopback(app.fetch);
  url = served.url;
});
afterAll(async () => {
  deps.jobs.close();
  await served.close();
  metrics.disable();
});

const post = (path: string, token: string, body: unknown): Promise<Response> =>
  fetch(`${url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });

async function scrape(): Promise<Scrape> {
  const text = await (await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${CLIENT}` } })).text();
  return { text, families: parsePrometheusTextFormat(text) };
}

const requestLine = (path: string): Record<string, unknown> | undefined => lines.find((l) => l.msg === 'request' && l.obj['path'] === path)?.obj;

describe('after-work of a request answered over node-server', () => {
  let held: Response;
  let claim: Response;
  let complete: Response;
  let refused: Response;
  let jobId = '';
  beforeAll(async () => {
    // A runner's claim parks; the call is queued, handed to it and held until the runner reports HOLD_MS later.
    const claiming = post('/runner/claim', RUNNER, { runnerId: 'r1', tools: ['ping'], waitMs: 10_000 });
    const holding = post('/tools/ping/execute', CLIENT, { target: '127.0.0.1', count: 1 });
    claim = await claiming;
    const { job } = (await claim.json()) as { job: { id: string; leaseId: string } };
    jobId = job.id;
    await new Promise((r) => setTimeout(r, HOLD_MS));
    const result = { ...TOOL_EXAMPLES['ping']?.result, target: '127.0.0.1', address: '127.0.0.1' };
    complete = await post(`/runner/jobs/${job.id}/complete`, RUNNER, { leaseId: job.leaseId, outcome: { status: 'succeeded', result, durationMs: 1 } });
    held = await holding;
    refused = await post('/tools/ping/execute', CLIENT, { target: '127.0.0.1', count: 'many' });
  });

  it('answers first: the held call, the claim and the report succeed, the refused call is a 400', async () => {
    expect([held.status, claim.status, complete.status, refused.status]).toEqual([200, 200, 200, 400]);
    expect(((await held.json()) as { status: string }).status).toBe('succeeded');
  });

  it('writes one request line per request, with its status and a duration that covers the hold', async () => {
    await new Promise((r) => setImmediate(r));
    const execute = lines.filter((l) => l.msg === 'request' && l.obj['path'] === '/tools/ping/execute').map((l) => l.obj);
    expect(execute.map((l) => l['status'])).toEqual([200, 400]);
    expect(execute[0]?.['durationMs']).toBeGreaterThanOrEqual(HOLD_MS);
    expect(requestLine('/runner/claim')).toMatchObject({ status: 200, principal: 'runner' });
    expect(requestLine(`/runner/jobs/${jobId}/complete`)).toMatchObject({ status: 200, principal: 'runner' });
  });

  it('records the duration metric and the refusal counters of each request, counted by the next scrape', async () => {
    const s = await scrape();
    const http = (route: string, status: string, suffix: '_count' | '_sum' = '_count'): number =>
      histogramValue(s, 'http_server_request_duration_seconds', suffix, { http_request_method: 'POST', http_route: route, http_response_status_code: status });
    expect(http('/tools/ping/execute', '200')).toBe(1);
    expect(http('/tools/ping/execute', '200', '_sum')).toBeGreaterThanOrEqual(HOLD_MS / 1000);
    expect(http('/tools/ping/execute', '400')).toBe(1);
    expect(http('/runner/claim', '200')).toBe(1);
    expect(http('/runner/jobs/:id/complete', '200')).toBe(1);
    expect(value(s, 'mcp_validation_rejections_total', { tool: 'ping', reason: 'schema' })).toBe(1);
    expect(value(s, 'mcp_tool_execution_total', { tool: 'ping', status: 'validation_error' })).toBe(1);
  });
});

describe('a scrape in the same turn as the requests before it', () => {
  it('counts them: GET /metrics first runs what they still owe', async () => {
    const app = createApp(deps);
    const before = histogramValue(await scrape(), 'http_server_request_duration_seconds', '_count', { http_route: '/tools', http_response_status_code: '200' });
    const headers = { authorization: `Bearer ${CLIENT}` };
    // In process, one after the other with no turn between: the /tools request's after-work has not run yet.
    const text = await Promise.resolve(app.request('/tools', { headers })).then(async (tools) => {
      expect(tools.status).toBe(200);
      return (await app.request('/metrics', { headers })).text();
    });
    const s = { text, families: parsePrometheusTextFormat(text) };
    expect(histogramValue(s, 'http_server_request_duration_seconds', '_count', { http_route: '/tools', http_response_status_code: '200' })).toBe(before + 1);
  });
});
