import { metrics } from '@opentelemetry/api';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prometheusSource } from '../node/prometheus-source';
import { toolMetrics } from './tool-metrics';

// The same reader and serializer GET /metrics uses, on this process's global MeterProvider.
const reader = new PrometheusExporter({ preventServerStart: true });
const source = prometheusSource(reader);
const scrape = async (): Promise<string> => (await source.scrape()).text;

beforeAll(() => {
  metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }));
});
afterAll(() => metrics.disable());

describe('toolMetrics', () => {
  it('names every series netdiag_custom_<tool>_<name>, counters ending in _total, with the declared labels only', async () => {
    const m = toolMetrics('probe_tool');
    const probes = m.counter('probes', 'Probes sent.', ['outcome']);
    probes.add(2, { outcome: 'ok' });
    probes.add(1, { outcome: 'lost' });
    probes.add(undefined, { outcome: 'ok', ...({ secret: 'dropped' } as Record<string, string>) });
    probes.add(-1, { outcome: 'ok' });
    m.histogram('connect_seconds', 'Connect time.', [], { buckets: [0.1, 1] }).record(0.05);
    const text = await scrape();
    expect(text).toContain('netdiag_custom_probe_tool_probes_total{outcome="ok"} 3');
    expect(text).toContain('netdiag_custom_probe_tool_probes_total{outcome="lost"} 1');
    expect(text).toContain('netdiag_custom_probe_tool_connect_seconds_bucket{le="0.1"} 1');
    expect(text).not.toContain('secret');
  });

  it('cannot name a built-in series or use bad names and labels', () => {
    const m = toolMetrics('probe_tool');
    expect(() => toolMetrics('Bad-Tool').counter('x', 'x')).toThrow(TypeError);
    expect(() => m.counter('Mcp-Tool', 'x')).toThrow(/metric name/);
    expect(() => m.counter('ok_name', 'x', ['le'])).toThrow(/label "le"/);
    expect(() => m.counter('ok_name', 'x', ['Bad-Label'])).toThrow(/label "Bad-Label"/);
    expect(() => m.counter('ok_name', 'x', ['a', 'a'])).toThrow(/twice/);
    expect(() => m.counter('ok_name', 'x', ['a', 'b', 'c', 'd', 'e', 'f'])).toThrow(/more than 5/);
    expect(() => m.histogram('h', 'x', [], { buckets: [1, 0.5] })).toThrow(/increasing/);
    // Registering again is fine when it means the same thing, an error when it does not.
    expect(() => m.counter('probes', 'Probes sent.', ['outcome'])).not.toThrow();
    expect(() => m.histogram('probes_total', 'x')).toThrow(/already registered as a counter/);
  });

  it('keeps at most 100 label combinations per instrument and cleans label values', async () => {
    const c = toolMetrics('probe_tool').counter('targets', 'Per target.', ['target']);
    for (let i = 0; i < 150; i++) c.add(1, { target: `10.0.0.${i}` });
    c.add(1, { target: 'evil\u001b[31m\nline' });
    const lines = (await scrape()).split('\n').filter((l) => l.startsWith('netdiag_custom_probe_tool_targets_total{'));
    expect(lines).toHaveLength(100);
    expect(lines.join('\n')).not.toContain('\u001b');
  });
});
