/**
 * The API's metric instruments, through @opentelemetry/api only. They are created on first use and again whenever
 * the global MeterProvider changes: a meter taken before the SDK starts would stay a no-op for good.
 * Prometheus names come out as written here (the exporter adds no unit suffix; counters already end in _total).
 */
import { type Counter, type Histogram, type Meter, type MeterProvider, metrics } from '@opentelemetry/api';

export const METER_NAME = 'netdiag-api';

export const METRIC = {
  executions: 'mcp_tool_execution_total',
  duration: 'mcp_tool_execution_duration_seconds',
  active: 'mcp_tool_active_executions',
  timeouts: 'mcp_tool_timeouts_total',
  breaker: 'mcp_circuit_breaker_state',
  queued: 'mcp_jobs_queued',
  runners: 'mcp_runners_connected',
  rateLimited: 'mcp_rate_limit_rejections_total',
  validation: 'mcp_validation_rejections_total',
  http: 'http_server_request_duration_seconds',
} as const;

/** Seconds: from a ping -c1 (a few ms) to a long nmap scan (minutes). */
const EXECUTION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];
/** Seconds: API requests, long-polls and held calls included. */
const HTTP_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];

export interface ApiInstruments {
  meter: Meter;
  /** {tool, status}: status is `success` or the lower-case error code (`timeout`, `validation_error`, …). */
  executions: Counter;
  /** {tool}: the runner-measured execution time of jobs that ran. */
  duration: Histogram;
  timeouts: Counter;
  rateLimited: Counter;
  /** {tool, reason}: calls refused by validation or the target policy. */
  validation: Counter;
  /** {http.request.method, http.route, http.response.status_code} */
  http: Histogram;
}

function create(meter: Meter): ApiInstruments {
  return {
    meter,
    executions: meter.createCounter(METRIC.executions, { description: 'Tool calls by outcome: success, or the error code in lower case.' }),
    duration: meter.createHistogram(METRIC.duration, {
      description: 'Execution time of tool jobs as measured by the runner.',
      unit: 's',
      advice: { explicitBucketBoundaries: EXECUTION_BUCKETS },
    }),
    timeouts: meter.createCounter(METRIC.timeouts, { description: 'Tool jobs that ended with TIMEOUT.' }),
    rateLimited: meter.createCounter(METRIC.rateLimited, { description: 'Tool calls refused with RATE_LIMITED.' }),
    validation: meter.createCounter(METRIC.validation, { description: 'Tool calls refused by validation or the target policy, by reason.' }),
    http: meter.createHistogram(METRIC.http, { description: 'HTTP request duration by route.', unit: 's', advice: { explicitBucketBoundaries: HTTP_BUCKETS } }),
  };
}

let cached: { provider: MeterProvider; instruments: ApiInstruments } | undefined;

/** The instruments of the current global MeterProvider (no-ops when no SDK is running, e.g. on Workers). */
export function apiInstruments(): ApiInstruments {
  const provider = metrics.getMeterProvider();
  if (cached?.provider !== provider) cached = { provider, instruments: create(provider.getMeter(METER_NAME)) };
  return cached.instruments;
}

/** The status label for an outcome: `success` or the error code in lower case. */
export const statusLabel = (code: string | undefined): string => (code === undefined ? 'success' : code.toLowerCase());
