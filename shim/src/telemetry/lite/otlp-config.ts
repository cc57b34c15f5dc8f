/** The standard OTEL_* variables the lite exporter honours; export stays off without an endpoint. */

export interface OtlpTraceConfig {
  /** Full URL of the traces endpoint. */
  url: string;
  headers: Record<string, string>;
  timeoutMs: number;
  /** Batch span processor settings (OTEL_BSP_*). */
  delayMs: number;
  maxQueue: number;
  maxBatch: number;
  serviceName: string;
  resource: Record<string, string>;
}

type Env = Readonly<Record<string, string | undefined>>;

const int = (v: string | undefined, fallback: number, min: number, max: number): number => {
  const n = Number(v);
  return v !== undefined && v.trim() !== '' && Number.isInteger(n) ? Math.min(max, Math.max(min, n)) : fallback;
};

/** `k1=v1,k2=v2` with URL-encoded values (OTEL_EXPORTER_OTLP_HEADERS, OTEL_RESOURCE_ATTRIBUTES). */
function pairs(v: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (v ?? '').split(',')) {
    const i = part.indexOf('=');
    if (i <= 0) continue;
    try {
      out[decodeURIComponent(part.slice(0, i).trim())] = decodeURIComponent(part.slice(i + 1).trim());
    } catch {
      // A malformed pair is skipped, as the SDK does.
    }
  }
  return out;
}

/**
 * The traces endpoint: OTEL_EXPORTER_OTLP_TRACES_ENDPOINT as given, or OTEL_EXPORTER_OTLP_ENDPOINT + /v1/traces.
 * Undefined (export off) when neither is set, when OTEL_SDK_DISABLED=true or OTEL_TRACES_EXPORTER=none.
 */
export function otlpTraceConfig(env: Env, defaultServiceName: string): OtlpTraceConfig | undefined {
  if (env['OTEL_SDK_DISABLED']?.trim().toLowerCase() === 'true' || env['OTEL_TRACES_EXPORTER']?.trim() === 'none') return undefined;
  const traces = env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT']?.trim();
  const base = env['OTEL_EXPORTER_OTLP_ENDPOINT']?.trim();
  const url = traces || (base ? `${base.replace(/\/+$/, '')}/v1/traces` : undefined);
  if (!url || !/^https?:\/\//.test(url)) return undefined;
  const resource = pairs(env['OTEL_RESOURCE_ATTRIBUTES']);
  const serviceName = env['OTEL_SERVICE_NAME']?.trim() || resource['service.name'] || defaultServiceName;
  return {
    url,
    headers: { ...pairs(env['OTEL_EXPORTER_OTLP_HEADERS']), ...pairs(env['OTEL_EXPORTER_OTLP_TRACES_HEADERS']) },
    timeoutMs: int(env['OTEL_EXPORTER_OTLP_TRACES_TIMEOUT'] ?? env['OTEL_EXPORTER_OTLP_TIMEOUT'], 10_000, 100, 60_000),
    delayMs: int(env['OTEL_BSP_SCHEDULE_DELAY'], 5000, 10, 60_000),
    maxQueue: int(env['OTEL_BSP_MAX_QUEUE_SIZE'], 2048, 1, 65_536),
    maxBatch: int(env['OTEL_BSP_MAX_EXPORT_BATCH_SIZE'], 512, 1, 65_536),
    serviceName,
    resource: { ...resource, 'service.name': serviceName },
  };
}
