/** GET /metrics for the Node entry: one collection of the Prometheus reader, as text and as samples, plus process figures. */
import { cpus, freemem, totalmem } from 'node:os';
import { type PrometheusExporter, PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
import { DataPointType, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import type { MetricSample, MetricsSource, SystemFigures } from '../telemetry/metrics-source';

const labelsOf = (attributes: Readonly<Record<string, unknown>>): Record<string, string> =>
  Object.fromEntries(Object.entries(attributes).map(([k, v]) => [k.replace(/[^a-zA-Z0-9_]/g, '_'), String(v)]));

/** The same names the serializer writes: counters end in _total, histograms give _sum and _count. */
export function samplesOf(resourceMetrics: ResourceMetrics): MetricSample[] {
  const out: MetricSample[] = [];
  for (const scope of resourceMetrics.scopeMetrics) {
    for (const metric of scope.metrics) {
      const base = metric.descriptor.name.replace(/[^a-zA-Z0-9_:]/g, '_');
      if (metric.dataPointType === DataPointType.HISTOGRAM) {
        for (const p of metric.dataPoints) {
          const labels = labelsOf(p.attributes);
          out.push({ name: `${base}_sum`, labels, value: p.value.sum ?? 0 }, { name: `${base}_count`, labels, value: p.value.count });
        }
      } else if (metric.dataPointType === DataPointType.SUM || metric.dataPointType === DataPointType.GAUGE) {
        const name = metric.dataPointType === DataPointType.SUM && metric.isMonotonic && !base.endsWith('_total') ? `${base}_total` : base;
        for (const p of metric.dataPoints) out.push({ name, labels: labelsOf(p.attributes), value: p.value });
      }
    }
  }
  return out;
}

/** CPU use since the previous call (the first call: since start), and memory now. */
function systemFigures(): () => SystemFigures {
  let last = { at: performance.now(), usage: process.cpuUsage() };
  const cores = Math.max(1, cpus().length);
  return () => {
    const now = { at: performance.now(), usage: process.cpuUsage() };
    const usedUs = now.usage.user - last.usage.user + (now.usage.system - last.usage.system);
    const elapsedUs = Math.max(1, (now.at - last.at) * 1000);
    last = now;
    const mem = process.memoryUsage();
    return {
      cpu: { percent: Math.round((usedUs / elapsedUs) * 1000) / 10, userSeconds: now.usage.user / 1e6, systemSeconds: now.usage.system / 1e6, cores },
      memory: { rssBytes: mem.rss, heapUsedBytes: mem.heapUsed, heapTotalBytes: mem.heapTotal, totalBytes: totalmem(), freeBytes: freemem() },
    };
  };
}

export function prometheusSource(reader: PrometheusExporter): MetricsSource {
  // No otel_scope_* labels on every series; target_info (the resource) stays.
  const serializer = new PrometheusSerializer(undefined, false, undefined, false, true);
  return {
    async scrape() {
      const { resourceMetrics } = await reader.collect();
      return { text: serializer.serialize(resourceMetrics), samples: samplesOf(resourceMetrics) };
    },
    system: systemFigures(),
  };
}
