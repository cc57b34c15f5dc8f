/**
 * The API's metrics for GET /metrics: a Prometheus reader without a server of its own and the provider that feeds it.
 * Its own module so that a process without /metrics (the runner) never loads the exporter or the metrics SDK
 * (otel.ts takes it as a factory; issue 12, idle memory).
 */
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import type { LocalMetrics } from './otel';
import { prometheusSource } from './prometheus-source';

export function prometheusMetrics(): LocalMetrics {
  const reader = new PrometheusExporter({ preventServerStart: true });
  return { reader, source: prometheusSource(reader), meterProvider: () => new MeterProvider({ readers: [reader] }) };
}
