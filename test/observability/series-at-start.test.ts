// A fresh API process on loopback, no runner, no call made: every series the dashboard queries must already be on
// GET /metrics at 0 for every tool. A counter that first appears with its first event has no earlier sample, so
// rate() and increase() (and the alerts built on them) would miss that event.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtinTools } from '../../functions/tools/index';
import { CALL_STATUSES, VALIDATION_REASONS } from '../../functions/src/telemetry/zero-series';
import { ROOT, type RunningApi, startApi } from '../helpers/processes';
import { type TestTokens, makeTokens } from '../helpers/tokens';
import { type Scrape, scrape } from './prometheus';

let tokens: TestTokens;
let api: RunningApi;
let fresh: Scrape;

beforeAll(async () => {
  tokens = makeTokens();
  api = await startApi(tokens);
  fresh = await scrape(api.url, tokens.admin);
});
afterAll(async () => {
  await api?.stop();
});

const TOOLS = builtinTools.map((t) => t.name);

/** The sample with exactly these labels, or undefined when the series does not exist (value() would say 0). */
function sample(s: Scrape, name: string, labels: Record<string, string>): number | undefined {
  const family = s.families.find((f) => f.name === name);
  const hit = family?.metrics.find((m) => {
    const have = m.labels ?? {};
    return Object.keys(have).length === Object.keys(labels).length && Object.entries(labels).every(([k, v]) => have[k] === v);
  });
  return hit?.value === undefined ? undefined : Number(hit.value);
}

describe('GET /metrics of a fresh API', () => {
  it('has the timeout and rate-limit counters at 0 for every tool', () => {
    for (const tool of TOOLS) {
      expect(fresh.text).toContain(`mcp_tool_timeouts_total{tool="${tool}"} 0\n`);
      expect(sample(fresh, 'mcp_rate_limit_rejections_total', { tool }), tool).toBe(0);
    }
  });

  it('has mcp_tool_execution_total at 0 for every tool and every outcome a call can have', () => {
    expect(CALL_STATUSES).toEqual(
      expect.arrayContaining(['success', 'timeout', 'no_runner', 'rate_limited', 'validation_error', 'forbidden_target', 'cancelled']),
    );
    for (const tool of TOOLS)
      for (const status of CALL_STATUSES) expect(sample(fresh, 'mcp_tool_execution_total', { tool, status }), `${tool} ${status}`).toBe(0);
  });

  it('has mcp_validation_rejections_total at 0 for every tool and reason', () => {
    expect(VALIDATION_REASONS).toEqual(
      expect.arrayContaining(['schema', 'args_too_large', 'malformed', 'policy', 'not_allowed', 'denied_range', 'invalid_hostname']),
    );
    for (const tool of TOOLS)
      for (const reason of VALIDATION_REASONS) expect(sample(fresh, 'mcp_validation_rejections_total', { tool, reason }), `${tool} ${reason}`).toBe(0);
  });

  it('has the gauges at 0 for every tool, and no runner connected', () => {
    for (const tool of TOOLS) {
      for (const name of ['mcp_tool_active_executions', 'mcp_jobs_queued', 'mcp_circuit_breaker_state'])
        expect(sample(fresh, name, { tool }), `${name} ${tool}`).toBe(0);
    }
    expect(sample(fresh, 'mcp_runners_connected', {})).toBe(0);
  });

  it('has a series for every tool in every per-tool counter and gauge the Grafana dashboard queries', () => {
    const dashboard = readFileSync(`${ROOT}infra/grafana/netdiag-dashboard.json`, 'utf8');
    const queried = new Set([...dashboard.matchAll(/\b(mcp_[a-z0-9_]+)\b/g)].map((m) => m[1] ?? ''));
    // Histograms cannot be created empty through the OpenTelemetry API: they appear with the first job that ran.
    const families = fresh.families.filter((f) => queried.has(f.name) && f.type !== 'HISTOGRAM' && f.name !== 'mcp_runners_connected');
    expect(families.map((f) => f.name).sort()).toEqual([
      'mcp_circuit_breaker_state',
      'mcp_jobs_queued',
      'mcp_rate_limit_rejections_total',
      'mcp_tool_active_executions',
      'mcp_tool_execution_total',
      'mcp_tool_timeouts_total',
      'mcp_validation_rejections_total',
    ]);
    for (const f of families) expect(new Set(f.metrics.map((m) => m.labels?.['tool'])), f.name).toEqual(new Set(TOOLS));
  });
});
