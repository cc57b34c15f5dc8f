/**
 * OpenTelemetry SDK for the Node entries (API and runner). Start it before anything takes a meter or tracer.
 * - Traces: only when exported (otherwise no tracer provider, propagator or context manager at all); over OTLP when
 *   OTEL_EXPORTER_OTLP_ENDPOINT or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT is set, through the SDK's batch span processor
 *   and the standard OTEL_* variables (OTEL_EXPORTER_OTLP_PROTOCOL, _HEADERS, OTEL_BSP_*, OTEL_TRACES_SAMPLER, ...).
 * - Metrics: a Prometheus reader without its own server; the app serves GET /metrics from it (API only). The runner
 *   records none of its own; tool authors' metrics there go out over OTLP when exported (`otlpMetrics`).
 * - Logs: not through OpenTelemetry (pino on stderr carries trace_id/span_id instead).
 * OTEL_SDK_DISABLED=true turns all of it off (and /metrics answers 404).
 */
import { createRequire } from 'node:module';
import type { NodeSDK as NodeSdkClass } from '@opentelemetry/sdk-node';
import { metrics } from '@opentelemetry/api';
import type { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import type { MetricsSource } from '../telemetry/metrics-source';
import { SyncContextManager } from '../telemetry/sync-context-manager';

/** A local metrics reader and what reads it (prometheus-metrics.ts for the API's GET /metrics). */
export interface LocalMetrics {
  reader: MetricReader;
  source: MetricsSource;
  /** A provider feeding only `reader`, when no SDK is started (nothing exported). */
  meterProvider(): MeterProvider;
}

export interface NodeTelemetry {
  /** off: OTEL_SDK_DISABLED; local: metrics only, no tracing; otlp: traces exported too. */
  tracing: 'off' | 'local' | 'otlp';
  /** For GET /metrics (when asked for with `metrics`). */
  metrics: MetricsSource | undefined;
  /** Flush and stop: the batch of spans still waiting is sent. */
  shutdown(): Promise<void>;
}

type Env = Readonly<Record<string, string | undefined>>;

const set = (v: string | undefined): boolean => v !== undefined && v.trim() !== '';

/** Export only to an endpoint someone configured: no default localhost:4318. */
export function otlpTracesConfigured(env: Env): boolean {
  return (set(env['OTEL_EXPORTER_OTLP_ENDPOINT']) || set(env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'])) && env['OTEL_TRACES_EXPORTER']?.trim() !== 'none';
}

/** Metrics over OTLP only to an endpoint someone configured (the general one or the metrics one). */
export function otlpMetricsConfigured(env: Env): boolean {
  return set(env['OTEL_EXPORTER_OTLP_ENDPOINT']) || set(env['OTEL_EXPORTER_OTLP_METRICS_ENDPOINT']);
}

/**
 * `metrics`: makes the Prometheus reader for GET /metrics (API: prometheus-metrics.ts); a process without it loads no
 * metrics SDK at all, and its meters stay no-ops unless traces are exported. `otlpMetrics`: when traces are exported and an OTLP metrics
 * endpoint is configured, metrics go there too through the SDK's env-configured readers (OTEL_METRICS_EXPORTER,
 * OTEL_METRIC_EXPORT_INTERVAL): the runner's way out for tool authors' metrics (toolMetrics); empty collections are
 * never sent, so a runner without custom metrics sends nothing.
 */
export function startNodeTelemetry(options: {
  serviceName: string;
  metrics?: (() => LocalMetrics) | undefined;
  otlpMetrics?: boolean;
  env?: Env;
}): NodeTelemetry {
  const env = options.env ?? process.env;
  if (env['OTEL_SDK_DISABLED']?.trim().toLowerCase() === 'true') return { tracing: 'off', metrics: undefined, shutdown: async () => undefined };
  const exporting = otlpTracesConfigured(env);
  const local = options.metrics?.();
  const reader = local?.reader;
  if (!exporting) {
    // Nothing would see the spans: no tracer provider, no propagator and no async context manager (on Node 20 its
    // promise hooks cost ~25% of the throughput of cheap requests). Metrics only; log lines carry the request id.
    if (!local) return { tracing: 'local', metrics: undefined, shutdown: async () => undefined };
    const provider = local.meterProvider();
    metrics.setGlobalMeterProvider(provider);
    return { tracing: 'local', metrics: local.source, shutdown: () => provider.shutdown() };
  }
  // Loaded only when exporting: the full SDK adds ~28 MB of RSS that a process without a collector never uses.
  const { NodeSDK } = createRequire(import.meta.url)('@opentelemetry/sdk-node') as { NodeSDK: typeof NodeSdkClass };
  const sdk = new NodeSDK({
    // OTEL_SERVICE_NAME, when set, wins (the env detector reads it; serviceName would override it).
    ...(set(env['OTEL_SERVICE_NAME']) ? {} : { serviceName: options.serviceName }),
    // Without spanProcessors the SDK builds them from the environment (OTEL_TRACES_EXPORTER, protocol, batch settings).
    // No metricReaders at all: the SDK builds them from the environment (otlpMetrics only).
    ...(reader ? { metricReaders: [reader] } : options.otlpMetrics && otlpMetricsConfigured(env) ? {} : { metricReaders: [] }),
    // Empty, not absent: absent would make the SDK export logs over OTLP to its default endpoint.
    logRecordProcessors: [],
    instrumentations: [],
    // No async context propagation in any Node process: both pass their trace context explicitly (the API on hono's
    // context, functions/src/telemetry/request-trace.ts; the runner by job id, runner/src/telemetry/job-span.ts), so
    // their promises pay for no hooks (the SDK's AsyncLocalStorageContextManager puts them on every promise; issue 12).
    contextManager: new SyncContextManager(),
  });
  sdk.start();
  return { tracing: exporting ? 'otlp' : 'local', metrics: local?.source, shutdown: () => sdk.shutdown() };
}
