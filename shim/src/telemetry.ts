/**
 * Tracing for the stdio shim, kept light for the one-file bundle: @opentelemetry/api and the project's lite tracer with
 * an OTLP/JSON batch exporter (shim/src/telemetry/lite), not the SDK. Off unless OTEL_EXPORTER_OTLP_ENDPOINT (or
 * OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) is set; then each tools/call is a SERVER span, continuing `_meta.traceparent`
 * when the client sends one. No async context propagation (SyncContextManager: on Node 20 AsyncLocalStorage puts
 * promise hooks on every promise of the process, issue 12): the call's span travels explicitly. The transport hands
 * the MCP server the call with its span's traceparent as `_meta.traceparent`, which the server puts on the call's API
 * requests (functions/mcp/call-meta.ts), so the API's spans continue the call span; the requests get no CLIENT span
 * of their own, and one that fails before the API answers is an event on the call span (telemetry/failed-request-events.ts).
 */
import type { Transport, TransportSendOptions } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage, MessageExtraInfo } from '@modelcontextprotocol/sdk/types.js';
import { ROOT_CONTEXT, type Span, SpanKind, SpanStatusCode, type TextMapGetter, context, propagation, trace } from '@opentelemetry/api';
import { SyncContextManager } from '../../functions/shared/telemetry/sync-context-manager';
import { formatTraceparent } from '../../functions/shared/telemetry/traceparent';
import { BatchExporter } from './telemetry/lite/batch-exporter';
import { LiteTracerProvider } from './telemetry/lite/lite-tracer';
import { otlpTraceConfig } from './telemetry/lite/otlp-config';
import { W3CPropagator } from './telemetry/lite/w3c-propagator';
import { failedRequestEvents } from './telemetry/failed-request-events';
import { plainHttpFetch } from '../../functions/shared/node/http-fetch';
import type { Log } from './log';

export const SHIM_TRACER = 'netdiag-shim';
/** tools/call spans open at once; beyond it calls go untraced. */
const MAX_OPEN_CALLS = 1000;
/** Longest wait for the last spans at exit. */
const SHUTDOWN_FLUSH_MS = 2000;

export interface ShimTelemetry {
  enabled: boolean;
  /** For the API client: notes a traced call's failed requests on its span (failed-request-events.ts); plain fetch when off. */
  fetch: typeof fetch;
  /** Wrap the stdio transport: one SERVER span per tools/call, from the request to its response. */
  instrument(transport: Transport): Transport;
  /** Send the spans still queued (call before exit). */
  shutdown(): Promise<void>;
}

type Meta = Readonly<Record<string, unknown>>;
const metaGetter: TextMapGetter<Meta> = {
  keys: (m) => Object.keys(m),
  get: (m, key) => (typeof m[key] === 'string' ? m[key] : undefined),
};

const record = (v: unknown): Record<string, unknown> | undefined => (typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : undefined);

/** The open tools/call spans by span id: where a failed request carrying its traceparent is noted. */
type OpenCalls = Map<string, Span>;

/** Starts and ends the tools/call spans around the messages that pass through. */
class TracedTransport implements Transport {
  onclose?: (() => void) | undefined;
  onerror?: ((error: Error) => void) | undefined;
  onmessage?: (<T extends JSONRPCMessage>(message: T, extra?: MessageExtraInfo) => void) | undefined;
  setProtocolVersion?: ((version: string) => void) | undefined;
  private readonly open = new Map<string | number, Span>();

  constructor(
    private readonly inner: Transport,
    private readonly calls: OpenCalls,
  ) {
    if (inner.setProtocolVersion) this.setProtocolVersion = (v) => inner.setProtocolVersion?.(v);
  }

  get sessionId(): string | undefined {
    return this.inner.sessionId;
  }

  start(): Promise<void> {
    this.inner.onclose = () => {
      for (const id of [...this.open.keys()]) this.finish(id, { code: SpanStatusCode.ERROR, message: 'connection closed' });
      this.onclose?.();
    };
    this.inner.onerror = (e) => this.onerror?.(e);
    this.inner.onmessage = (message: JSONRPCMessage, extra?: MessageExtraInfo) => this.receive(message, extra);
    return this.inner.start();
  }

  send(message: JSONRPCMessage, options?: TransportSendOptions): Promise<void> {
    const m = message as Record<string, unknown>;
    const id = m['id'];
    if ((typeof id !== 'string' && typeof id !== 'number') || 'method' in m || !this.open.has(id)) return this.inner.send(message, options);
    // The span ends as the answer leaves, but is annotated and ended once it has been written (the stdio transport
    // writes to its pipe before send returns): that work is off the answer's path (issue 12).
    const endTime = performance.now();
    const sent = this.inner.send(message, options);
    const error = record(m['error']);
    const isError = record(m['result'])?.['isError'] === true;
    if (error)
      this.finish(
        id,
        { code: SpanStatusCode.ERROR, message: String(error['message'] ?? 'error') },
        { 'error.type': String(error['code'] ?? 'error'), 'rpc.jsonrpc.error_code': Number(error['code'] ?? 0) },
        endTime,
      );
    else
      this.finish(
        id,
        isError ? { code: SpanStatusCode.ERROR, message: 'tool result isError' } : { code: SpanStatusCode.UNSET },
        isError ? { 'error.type': 'tool_error' } : {},
        endTime,
      );
    return sent;
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  private receive(message: JSONRPCMessage, extra?: MessageExtraInfo): void {
    const m = message as Record<string, unknown>;
    const params = record(m['params']);
    if (m['method'] === 'notifications/cancelled') {
      const requestId = params?.['requestId'];
      if (typeof requestId === 'string' || typeof requestId === 'number')
        this.finish(requestId, { code: SpanStatusCode.ERROR, message: 'cancelled by the client' });
    }
    const id = m['id'];
    if (m['method'] !== 'tools/call' || (typeof id !== 'string' && typeof id !== 'number') || this.open.size >= MAX_OPEN_CALLS) {
      this.onmessage?.(message, extra);
      return;
    }
    const tool = String(params?.['name'] ?? '').slice(0, 128);
    const parent = propagation.extract(ROOT_CONTEXT, record(params?.['_meta']) ?? {}, metaGetter);
    const span = trace.getTracer(SHIM_TRACER).startSpan(
      `tools/call ${tool}`,
      {
        kind: SpanKind.SERVER,
        attributes: {
          'mcp.method.name': 'tools/call',
          'gen_ai.operation.name': 'execute_tool',
          'gen_ai.tool.name': tool,
          'jsonrpc.request.id': String(id),
          'network.transport': 'pipe',
        },
      },
      parent,
    );
    this.end(this.open.get(id));
    this.open.set(id, span);
    const sc = span.spanContext();
    const ctx = trace.setSpan(parent, span);
    this.calls.set(sc.spanId, span);
    // The call goes on with this span's traceparent in `_meta` (the client's own, if any, is its parent): the server
    // sends it with each API request of the call as the traceparent header the API's spans continue (startShimTelemetry).
    const meta = { ...record(params?.['_meta']), traceparent: formatTraceparent(sc) };
    const forwarded = { ...m, params: { ...params, _meta: meta } } as unknown as JSONRPCMessage;
    context.with(ctx, () => this.onmessage?.(forwarded, extra));
  }

  /** `endTime`: a performance.now() time, when the span ended before this call. */
  private end(span: Span | undefined, endTime?: number): void {
    if (!span) return;
    this.calls.delete(span.spanContext().spanId);
    span.end(endTime);
  }

  private finish(
    id: string | number,
    status: { code: SpanStatusCode; message?: string },
    attributes: Record<string, string | number> = {},
    endTime?: number,
  ): void {
    const span = this.open.get(id);
    if (!span) return;
    this.open.delete(id);
    this.end(span.setAttributes(attributes).setStatus(status), endTime);
  }
}

/**
 * Set up tracing from the standard OTEL_* variables; everything passes through untouched when export is off.
 * `apiFetch`: how API calls go out (certificate checks, shim/src/transport.ts); the exporter uses plain HTTP or fetch.
 */
export function startShimTelemetry(env: Readonly<Record<string, string | undefined>>, log: Log, apiFetch: typeof fetch = globalThis.fetch): ShimTelemetry {
  const rawFetch = globalThis.fetch;
  const config = otlpTraceConfig(env, SHIM_TRACER);
  if (!config) return { enabled: false, fetch: apiFetch, instrument: (t) => t, shutdown: async () => undefined };
  let failures = 0;
  // A plain-HTTP collector (http://, as on loopback) over node:http, which the shim loads anyway: through fetch each
  // export, every OTEL_BSP_SCHEDULE_DELAY, ran undici's cold path (its parser is WebAssembly), ~1 ms of the shim's CPU
  // per traced call in bench/observability.ts (issue 12). https:// still goes through fetch.
  const exporter = new BatchExporter(config, plainHttpFetch(rawFetch), (message) =>
    log(failures++ === 0 ? 'warn' : 'debug', message, { endpoint: config.url }),
  );
  context.setGlobalContextManager(new SyncContextManager());
  propagation.setGlobalPropagator(new W3CPropagator());
  trace.setGlobalTracerProvider(new LiteTracerProvider(exporter.onEnd));
  const calls: OpenCalls = new Map();
  log('debug', 'tracing on', { endpoint: config.url, service: config.serviceName });
  return {
    enabled: true,
    fetch: failedRequestEvents(apiFetch, (spanId) => calls.get(spanId)),
    instrument: (t) => new TracedTransport(t, calls),
    // Bounded: a collector that does not answer must not hold the shim's exit for the export timeout.
    shutdown: () => Promise.race([exporter.forceFlush(), new Promise<void>((resolve) => setTimeout(resolve, SHUTDOWN_FLUSH_MS).unref())]),
  };
}
