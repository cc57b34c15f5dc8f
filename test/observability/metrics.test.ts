// GET /metrics from real API and runner processes on loopback: Prometheus text from the OpenTelemetry SDK, the JSON
// form, who may read it, and the Grafana dashboard's queries against what is really exposed. Only 127.0.0.1 is
// pinged; every other target here is refused by the API before a job exists.
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { ROOT, type Running, type RunningApi, execute, startApi, startRunner } from '../helpers/processes';
import { type TestTokens, makeTokens } from '../helpers/tokens';
import { type Scrape, histogramValue, scrape, value } from './prometheus';

let tokens: TestTokens;
let metricsToken: string;
let api: RunningApi;
let runner: Running;

/** A token with only the `metrics` scope (a Prometheus scrape token), added to the test's tokens file. */
function addMetricsToken(t: TestTokens): string {
  const token = `m_${randomBytes(18).toString('base64url')}`;
  const records = JSON.parse(readFileSync(t.file, 'utf8')) as unknown[];
  records.push({ id: 'prometheus', sha256: createHash('sha256').update(token).digest('hex'), scopes: ['metrics'] });
  writeFileSync(t.file, JSON.stringify(records));
  return token;
}

beforeAll(async () => {
  tokens = makeTokens();
  metricsToken = addMetricsToken(tokens);
  // dig: one call per minute, so its second call is RATE_LIMITED (every other tool unlimited, as startApi sets).
  api = await startApi(tokens, { MCP_ALLOW_LOOPBACK: 'true', MCP_RATE_LIMITS: 'dig=1' });
  // Threshold 1: the one TIMEOUT below opens ping's breaker, which the runner reports with its next claim.
  runner = await startRunner(api, tokens, { MCP_ALLOW_LOOPBACK: 'true', MCP_CIRCUIT_BREAKER_THRESHOLD: '1', MCP_CIRCUIT_BREAKER_RECOVERY_SEC: '3600' });
});
afterAll(async () => {
  await runner?.stop();
  await api?.stop();
});

const ping = { target: '127.0.0.1', count: 1 };

describe('GET /metrics counts every call once, with its outcome', () => {
  let before: Scrape;
  let after: Scrape;
  beforeAll(async () => {
    before = await scrape(api.url, tokens.admin);
    const outcomes = [
      await execute(api, tokens.client, 'ping', ping),
      await execute(api, tokens.client, 'ping', ping),
      await execute(api, tokens.client, 'ping', { target: '127.0.0.1', count: 99 }),
      await execute(api, tokens.client, 'ping', { target: '169.254.1.1' }),
      await execute(api, tokens.client, 'dig', { name: 'not a name!' }),
      await execute(api, tokens.client, 'dig', { name: 'host.lab.internal' }),
      // Last: it opens ping's breaker (threshold 1).
      await execute(api, tokens.client, 'ping', { target: '127.0.0.1', count: 3, intervalSec: 1, timeoutSec: 1 }),
    ];
    expect(outcomes.map((o) => o.status)).toEqual([200, 200, 400, 403, 400, 429, 504]);
    after = await scrape(api.url, tokens.admin);
  });

  const delta = (name: string, labels: Record<string, string>): number => value(after, name, labels) - value(before, name, labels);

  it('serves Prometheus text that parses', () => {
    expect(after.families.length).toBeGreaterThan(5);
    expect(after.families.find((f) => f.name === 'mcp_tool_execution_total')?.type).toBe('COUNTER');
    expect(after.families.find((f) => f.name === 'mcp_tool_execution_duration_seconds')?.type).toBe('HISTOGRAM');
    expect(after.families.find((f) => f.name === 'mcp_tool_active_executions')?.type).toBe('GAUGE');
  });

  it('moves mcp_tool_execution_total by exactly the calls made, per status', () => {
    expect(delta('mcp_tool_execution_total', { tool: 'ping', status: 'success' })).toBe(2);
    expect(delta('mcp_tool_execution_total', { tool: 'ping', status: 'timeout' })).toBe(1);
    expect(delta('mcp_tool_execution_total', { tool: 'ping', status: 'validation_error' })).toBe(1);
    expect(delta('mcp_tool_execution_total', { tool: 'ping', status: 'forbidden_target' })).toBe(1);
    expect(delta('mcp_tool_execution_total', { tool: 'dig', status: 'validation_error' })).toBe(1);
    expect(delta('mcp_tool_execution_total', { tool: 'dig', status: 'rate_limited' })).toBe(1);
    const total = (s: Scrape): number =>
      (s.families.find((f) => f.name === 'mcp_tool_execution_total')?.metrics ?? []).reduce((n, m) => n + Number(m.value ?? 0), 0);
    expect(total(after) - total(before)).toBe(7);
  });

  it('counts timeouts, refusals by reason and rate-limit rejections', () => {
    expect(delta('mcp_tool_timeouts_total', { tool: 'ping' })).toBe(1);
    expect(delta('mcp_validation_rejections_total', { tool: 'ping', reason: 'schema' })).toBe(1);
    expect(delta('mcp_validation_rejections_total', { tool: 'ping', reason: 'denied_range' })).toBe(1);
    expect(delta('mcp_validation_rejections_total', { tool: 'dig', reason: 'schema' })).toBe(1);
    expect(delta('mcp_rate_limit_rejections_total', { tool: 'dig' })).toBe(1);
  });

  it('records the runner-measured duration of each job that ran, and HTTP durations by route', () => {
    const count = (s: Scrape): number => histogramValue(s, 'mcp_tool_execution_duration_seconds', '_count', { tool: 'ping' });
    expect(count(after) - count(before)).toBe(3);
    expect(histogramValue(after, 'mcp_tool_execution_duration_seconds', '_sum', { tool: 'ping' })).toBeGreaterThan(0);
    const http = (s: Scrape, status: string): number =>
      histogramValue(s, 'http_server_request_duration_seconds', '_count', {
        http_request_method: 'POST',
        http_route: '/tools/ping/execute',
        http_response_status_code: status,
      });
    expect(http(after, '200') - http(before, '200')).toBe(2);
    expect(http(after, '504') - http(before, '504')).toBe(1);
  });

  it('shows nothing running or queued once the calls are done, and the connected runner', () => {
    expect(value(after, 'mcp_tool_active_executions', { tool: 'ping' })).toBe(0);
    expect(value(after, 'mcp_jobs_queued', { tool: 'ping' })).toBe(0);
    expect(value(after, 'mcp_runners_connected')).toBe(1);
    expect(after.families.find((f) => f.name === 'mcp_tool_active_executions')?.metrics.map((m) => m.labels?.['tool'])).toContain('nmap');
  });

  it('reports the circuit breaker state the runner sends with its claims (ping opened by the timeout)', async () => {
    const until = Date.now() + 10_000;
    let state = value(await scrape(api.url, tokens.admin), 'mcp_circuit_breaker_state', { tool: 'ping' });
    while (state !== 1 && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 100));
      state = value(await scrape(api.url, tokens.admin), 'mcp_circuit_breaker_state', { tool: 'ping' });
    }
    expect(state).toBe(1);
    expect(value(after, 'mcp_circuit_breaker_state', { tool: 'nmap' })).toBe(0);
  });
});

describe('GET /metrics?format=json', () => {
  it('gives the same numbers in the JSON shape of docs/design.md, "Observability"', async () => {
    const text = await scrape(api.url, tokens.admin);
    const res = await fetch(`${api.url}/metrics?format=json`, { headers: { authorization: `Bearer ${tokens.admin}` } });
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const json = (await res.json()) as {
      system: { cpu: { percent: number }; memory: { rssBytes: number } };
      tools: Record<string, Record<string, number | string>>;
      runners: { connected: number };
    };
    const statuses = (text.families.find((f) => f.name === 'mcp_tool_execution_total')?.metrics ?? []).filter((m) => m.labels?.['tool'] === 'ping');
    const executions = statuses.reduce((n, m) => n + Number(m.value), 0);
    const successes = Number(statuses.find((m) => m.labels?.['status'] === 'success')?.value ?? 0);
    expect(json.tools['ping']).toMatchObject({
      executions,
      successes,
      failures: executions - successes,
      timeouts: value(text, 'mcp_tool_timeouts_total', { tool: 'ping' }),
      active: 0,
      queued: 0,
      circuit_breaker: 'open',
    });
    const sum = histogramValue(text, 'mcp_tool_execution_duration_seconds', '_sum', { tool: 'ping' });
    const count = histogramValue(text, 'mcp_tool_execution_duration_seconds', '_count', { tool: 'ping' });
    expect(json.tools['ping']?.['avg_duration']).toBeCloseTo(sum / count, 9);
    expect(json.tools['nmap']).toMatchObject({ executions: 0, avg_duration: 0, circuit_breaker: 'closed' });
    expect(json.runners.connected).toBe(1);
    expect(json.system.memory.rssBytes).toBeGreaterThan(0);
    expect(typeof json.system.cpu.percent).toBe('number');
  });

  it('is also chosen by Accept: application/json', async () => {
    const res = await fetch(`${api.url}/metrics`, { headers: { authorization: `Bearer ${tokens.admin}`, accept: 'application/json' } });
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await res.json()).toHaveProperty('tools.ping.executions');
  });
});

describe('who may read /metrics', () => {
  const get = (token: string | undefined): Promise<Response> => fetch(`${api.url}/metrics`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

  it('answers 401 without a token and 403 to a token without the metrics or tools:admin scope', async () => {
    const none = await get(undefined);
    expect(none.status).toBe(401);
    expect(await none.json()).toMatchObject({ error: { code: 'UNAUTHORIZED' } });
    for (const token of [tokens.client, tokens.runner, tokens.reader]) {
      const res = await get(token);
      expect(res.status).toBe(403);
      expect(await res.json()).toMatchObject({ error: { code: 'FORBIDDEN' } });
    }
  });

  it('serves a scrape token (scope metrics) and an admin token', async () => {
    for (const token of [metricsToken, tokens.admin]) {
      const res = await get(token);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
      expect(await res.text()).toMatch(/^mcp_tool_execution_total\{/m);
    }
  });
});

/** Metric names in a PromQL expression: this project's prefixes (function names and labels are not metrics). */
const metricNames = (expr: string): string[] => [...expr.matchAll(/\b((?:mcp|http_server)_[a-z0-9_]+)\b/g)].map((m) => m[1] ?? '');

interface Panel {
  title?: string;
  targets?: Array<{ expr?: string }>;
  panels?: Panel[];
}

describe('infra/', () => {
  it('the Grafana dashboard queries only metrics that /metrics exposes', async () => {
    const dashboard = JSON.parse(readFileSync(`${ROOT}infra/grafana/netdiag-dashboard.json`, 'utf8')) as {
      panels: Panel[];
      templating: { list: Array<{ definition?: string }> };
    };
    const panels = dashboard.panels.flatMap((p) => [p, ...(p.panels ?? [])]).filter((p) => (p.targets ?? []).length > 0);
    expect(panels.map((p) => p.title)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/execution/i),
        expect.stringMatching(/breaker/i),
        expect.stringMatching(/queue/i),
        expect.stringMatching(/runner/i),
      ]),
    );
    const exposed = await scrape(api.url, tokens.admin);
    const families = new Map(exposed.families.map((f) => [f.name, f.type]));
    const known = (name: string): boolean => {
      if (families.has(name)) return true;
      const base = name.replace(/_(bucket|sum|count)$/, '');
      return base !== name && families.get(base) === 'HISTOGRAM';
    };
    for (const v of dashboard.templating.list) {
      for (const n of metricNames(v.definition ?? '')) expect(known(n), `variable query uses ${n}, which /metrics does not expose`).toBe(true);
    }
    for (const p of panels) {
      for (const t of p.targets ?? []) {
        const names = metricNames(t.expr ?? '');
        expect(names, `panel "${p.title}" query ${t.expr}`).not.toEqual([]);
        for (const n of names) expect(known(n), `panel "${p.title}" uses ${n}, which /metrics does not expose`).toBe(true);
      }
    }
  });

  it('the Prometheus config scrapes /metrics with a bearer token, and the collector config receives OTLP', () => {
    const prom = parseYaml(readFileSync(`${ROOT}infra/prometheus.yml`, 'utf8')) as {
      scrape_configs: Array<{ metrics_path?: string; authorization?: { type?: string; credentials_file?: string } }>;
    };
    const job = prom.scrape_configs.find((j) => j.metrics_path === '/metrics');
    expect(job?.authorization).toMatchObject({ type: 'Bearer', credentials_file: expect.any(String) });
    const collector = parseYaml(readFileSync(`${ROOT}infra/otel-collector.yaml`, 'utf8')) as {
      receivers: Record<string, unknown>;
      service: { pipelines: Record<string, { receivers: string[] }> };
    };
    expect(collector.receivers).toHaveProperty('otlp');
    expect(collector.service.pipelines['traces']?.receivers).toContain('otlp');
  });
});
