// A tool call refused on /mcp's direct way (direct-call.ts) is counted exactly as the same refusal of
// POST /tools/{name}/execute is (telemetry/refusal-metrics.ts): the execution counter by code and the rate-limit and
// validation counters, read through the Prometheus reader GET /metrics uses. Nothing is sent anywhere: no runner,
// and every call is refused before a job exists.
import { createHash } from 'node:crypto';
import { metrics } from '@opentelemetry/api';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Scrape, value } from '../../../test/observability/prometheus';
import { prometheusSource } from '../../shared/node/prometheus-source';
import { createApp } from '../app';
import { createDeps } from '../create-deps';
import type { AppDeps } from '../deps';
import { type DirectCall, directToolCalls } from './direct-call';

const sha256 = (t: string): string => createHash('sha256').update(t).digest('hex');
const CLIENT = 'direct-client-token-1234567890';
const auth = { authorization: `Bearer ${CLIENT}` };

const reader = new PrometheusExporter({ preventServerStart: true });
let deps: AppDeps;
let app: ReturnType<typeof createApp>;

beforeAll(() => {
  metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }));
  deps = createDeps({
    env: { MCP_RATE_LIMIT_PER_MINUTE: '4' },
    version: 'test',
    metrics: prometheusSource(reader),
    tokens: [{ id: 'client', sha256: sha256(CLIENT), scopes: ['tools:read', 'tools:run', 'metrics'] }],
  });
  app = createApp(deps);
});
afterAll(() => {
  deps.jobs.close();
  metrics.disable();
});

async function scrape(): Promise<Scrape> {
  const text = await (await app.request('/metrics', { headers: auth })).text();
  return { text, families: parsePrometheusTextFormat(text) };
}

const COUNTERS: Array<[string, Record<string, string>]> = [
  ['mcp_tool_execution_total', { tool: 'ping', status: 'forbidden_target' }],
  ['mcp_tool_execution_total', { tool: 'ping', status: 'validation_error' }],
  ['mcp_tool_execution_total', { tool: 'ping', status: 'rate_limited' }],
  ['mcp_validation_rejections_total', { tool: 'ping', reason: 'schema' }],
  ['mcp_rate_limit_rejections_total', { tool: 'ping' }],
];
const counts = async (): Promise<number[]> => {
  const s = await scrape();
  return COUNTERS.map(([name, labels]) => value(s, name, labels));
};
const delta = (after: number[], before: number[]): number[] => after.map((v, i) => v - (before[i] ?? 0));

const overRest = (args: unknown): Promise<Response> =>
  Promise.resolve(app.request('/tools/ping/execute', { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify(args) }));
const direct = (args: Record<string, unknown>): Promise<unknown> => {
  const call: DirectCall = {
    tool: 'ping',
    args,
    idempotencyKey: undefined,
    respondAsync: false,
    headers: auth,
    signal: new AbortController().signal,
    arrival: {},
  };
  return directToolCalls(deps)(call).then(
    () => 'answered',
    (err: unknown) => err,
  );
};

it('counts each refusal of a direct call as the route counts it', async () => {
  const calls: Array<Record<string, unknown>> = [
    { target: '0.0.0.0', count: 1 }, // FORBIDDEN_TARGET
    { target: '0.0.0.0', count: 'many' }, // VALIDATION_ERROR (schema)
  ];
  let before = await counts();
  for (const args of calls) expect((await overRest(args)).status).toBeGreaterThanOrEqual(400);
  const rest = delta(await counts(), before);
  before = await counts();
  for (const args of calls) expect(await direct(args)).not.toBe('answered');
  expect(delta(await counts(), before)).toEqual(rest);
  expect(rest).toEqual([1, 1, 0, 1, 0]);

  // The bucket (4 a minute) is empty now: one more refusal each way, RATE_LIMITED.
  before = await counts();
  expect((await overRest(calls[0])).status).toBe(429);
  const limited = delta(await counts(), before);
  before = await counts();
  await direct(calls[0]!);
  expect(delta(await counts(), before)).toEqual(limited);
  expect(limited).toEqual([0, 0, 1, 0, 1]);
});
