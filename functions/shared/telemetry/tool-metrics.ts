/**
 * Metrics for tool authors, on @opentelemetry/api: `toolMetrics('my_tool').counter('probes', 'Probes sent.', ['outcome'])`.
 * Every series is named `netdiag_custom_<tool>_<name>` (counters end in `_total`), so a custom tool cannot write
 * into a built-in series. Values land wherever the process's SDK sends them: the API's GET /metrics for code that
 * runs in the API (health checks), OTLP for code that runs in the runner (executors) when OTEL_EXPORTER_OTLP_ENDPOINT
 * is set; nowhere otherwise (Workers, a runner without an exporter). Runtime-neutral.
 */
import { type Attributes, type Meter, type MeterProvider, metrics } from '@opentelemetry/api';
import { sanitizeLine } from '../text/sanitize';
import { TOOL_NAME } from '../tool/definition';

export const TOOL_METER_NAME = 'netdiag-custom-tools';
export const CUSTOM_METRIC_PREFIX = 'netdiag_custom_';

const METRIC_NAME = /^[a-z][a-z0-9_]{0,47}$/;
const LABEL_NAME = /^[a-z][a-z0-9_]{0,31}$/;
/** Prometheus gives these a meaning of its own (histogram buckets, summaries, the job/instance of a scrape). */
const RESERVED_LABELS: ReadonlySet<string> = new Set(['le', 'quantile', 'job', 'instance']);
const MAX_LABELS = 5;
/** Label combinations kept per instrument; later new ones are dropped so a careless label cannot grow memory. */
const MAX_SERIES = 100;
const MAX_LABEL_VALUE = 64;

export type MetricLabels<L extends string> = Readonly<Partial<Record<L, string | number | boolean>>>;

export interface ToolCounter<L extends string = string> {
  /** Add a non-negative amount (default 1); labels not declared at registration are ignored. */
  add(value?: number, labels?: MetricLabels<L>): void;
}

export interface ToolHistogram<L extends string = string> {
  record(value: number, labels?: MetricLabels<L>): void;
}

export interface ToolMetrics {
  counter<const L extends string = never>(name: string, help: string, labelNames?: readonly L[]): ToolCounter<L>;
  /** `buckets`: explicit bucket boundaries (e.g. seconds); the SDK's defaults when omitted. */
  histogram<const L extends string = never>(
    name: string,
    help: string,
    labelNames?: readonly L[],
    options?: { unit?: string; buckets?: readonly number[] },
  ): ToolHistogram<L>;
}

interface Registered {
  kind: 'counter' | 'histogram';
  labels: string;
}
/** Per process: the same name registered again must mean the same instrument. */
const registered = new Map<string, Registered>();

function checkNames(tool: string, name: string, labelNames: readonly string[]): void {
  if (!TOOL_NAME.test(tool)) throw new TypeError(`toolMetrics: "${tool}" is not a tool name (${String(TOOL_NAME)})`);
  if (!METRIC_NAME.test(name)) throw new TypeError(`toolMetrics(${tool}): metric name "${name}" must match ${String(METRIC_NAME)}`);
  if (labelNames.length > MAX_LABELS) throw new TypeError(`toolMetrics(${tool}): ${name} has more than ${MAX_LABELS} labels`);
  for (const l of labelNames) {
    if (!LABEL_NAME.test(l) || RESERVED_LABELS.has(l))
      throw new TypeError(
        `toolMetrics(${tool}): label "${l}" of ${name} must match ${String(LABEL_NAME)} and not be one of ${[...RESERVED_LABELS].join(', ')}`,
      );
  }
  if (new Set(labelNames).size !== labelNames.length) throw new TypeError(`toolMetrics(${tool}): ${name} names a label twice`);
}

function register(fullName: string, kind: Registered['kind'], labelNames: readonly string[]): void {
  const labels = [...labelNames].sort().join(',');
  const before = registered.get(fullName);
  if (before && (before.kind !== kind || before.labels !== labels))
    throw new TypeError(`toolMetrics: ${fullName} is already registered as a ${before.kind} with labels [${before.labels}]`);
  registered.set(fullName, { kind, labels });
}

/** The instrument of the current global MeterProvider: one taken before the SDK started would stay a no-op. */
function lazy<T>(create: (meter: Meter) => T): () => T {
  let cached: { provider: MeterProvider; instrument: T } | undefined;
  return () => {
    const provider = metrics.getMeterProvider();
    if (cached?.provider !== provider) cached = { provider, instrument: create(provider.getMeter(TOOL_METER_NAME)) };
    return cached.instrument;
  };
}

/** Declared labels only, values as short clean strings; undefined once the instrument has MAX_SERIES combinations. */
function attributesFor(labelNames: readonly string[], seen: Set<string>): (labels: Readonly<Record<string, unknown>> | undefined) => Attributes | undefined {
  return (labels) => {
    const attributes: Record<string, string> = {};
    for (const l of labelNames) {
      const v = labels?.[l];
      if (v !== undefined) attributes[l] = sanitizeLine(String(v), MAX_LABEL_VALUE);
    }
    const key = JSON.stringify(labelNames.map((l) => attributes[l] ?? null));
    if (!seen.has(key)) {
      if (seen.size >= MAX_SERIES) return undefined;
      seen.add(key);
    }
    return attributes;
  };
}

/** The metrics of one tool; names and labels are checked here (TypeError), values when recorded (bad ones dropped). */
export function toolMetrics(tool: string): ToolMetrics {
  return {
    counter(name, help, labelNames = []) {
      checkNames(tool, name, labelNames);
      const base = `${CUSTOM_METRIC_PREFIX}${tool}_${name}`;
      const fullName = base.endsWith('_total') ? base : `${base}_total`;
      register(fullName, 'counter', labelNames);
      const instrument = lazy((m) => m.createCounter(fullName, { description: help }));
      const attributes = attributesFor(labelNames, new Set());
      return {
        add(value = 1, labels) {
          const a = attributes(labels);
          if (a && Number.isFinite(value) && value >= 0) instrument().add(value, a);
        },
      };
    },
    histogram(name, help, labelNames = [], options = {}) {
      checkNames(tool, name, labelNames);
      const fullName = `${CUSTOM_METRIC_PREFIX}${tool}_${name}`;
      register(fullName, 'histogram', labelNames);
      const buckets = options.buckets ? [...options.buckets] : undefined;
      if (buckets && buckets.some((b, i) => !Number.isFinite(b) || (i > 0 && b <= (buckets[i - 1] ?? b))))
        throw new TypeError(`toolMetrics(${tool}): buckets of ${name} must be finite and increasing`);
      const instrument = lazy((m) =>
        m.createHistogram(fullName, {
          description: help,
          ...(options.unit ? { unit: options.unit } : {}),
          ...(buckets ? { advice: { explicitBucketBoundaries: buckets } } : {}),
        }),
      );
      const attributes = attributesFor(labelNames, new Set());
      return {
        record(value, labels) {
          const a = attributes(labels);
          if (a && Number.isFinite(value)) instrument().record(value, a);
        },
      };
    },
  };
}
