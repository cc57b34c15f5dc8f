/**
 * What GET /metrics needs from the runtime: the entry that runs an OpenTelemetry SDK supplies it (functions/node/otel.ts);
 * without one (Workers) /metrics answers 404. The core never sees SDK types, only these.
 */

/** One number of a collection, named as in the Prometheus text (counters end in _total; histograms give _sum and _count). */
export interface MetricSample {
  name: string;
  labels: Readonly<Record<string, string>>;
  value: number;
}

/** One collection: the Prometheus text and the same numbers as samples, for the JSON form. */
export interface MetricsScrape {
  text: string;
  samples: readonly MetricSample[];
}

/** Process figures for the JSON form (its `system` section; docs/design.md, "Observability"). */
export interface SystemFigures {
  cpu: { percent: number; userSeconds: number; systemSeconds: number; cores: number };
  memory: { rssBytes: number; heapUsedBytes: number; heapTotalBytes: number; totalBytes: number; freeBytes: number };
}

export interface MetricsSource {
  scrape(): Promise<MetricsScrape>;
  system(): SystemFigures;
}

/** Prometheus text exposition format 0.0.4. */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';
