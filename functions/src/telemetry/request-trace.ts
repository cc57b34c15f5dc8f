/**
 * The request's trace context, kept on hono's context instead of an async context manager: the Node API runs with
 * SyncContextManager (functions/shared/telemetry/sync-context-manager.ts), whose `context.with` holds for the
 * synchronous call only, because the SDK's AsyncLocalStorageContextManager puts promise hooks on every promise of
 * the process on Node 20 (issue 12; docs/design.md, "Trace context"). http-telemetry.ts sets it for each traced
 * request; the places that start child spans or hand the trace on read it here: the job's stored traceparent
 * (routes/tool-execute.ts), the request's log line (middleware/request-log.ts) and /mcp's tools/call spans
 * (mcp-http/route.ts puts the traceparent on the call's AuthInfo, functions/mcp/call-span.ts continues it).
 */
import { type Context as OtelContext, ROOT_CONTEXT, isSpanContextValid, trace } from '@opentelemetry/api';
import type { Context } from 'hono';
import type { AppEnv } from '../app-env';
import { formatTraceparent } from '../../shared/telemetry/traceparent';

/** The request span's context (made now if not yet: http-telemetry.ts); the root context for an untraced request. */
export function requestTraceContext(c: Context<AppEnv>): OtelContext {
  return c.get('traceContext')?.() ?? ROOT_CONTEXT;
}

/** The request span's traceparent, when the request is traced. */
export function requestTraceparent(c: Context<AppEnv>): string | undefined {
  const sc = trace.getSpanContext(requestTraceContext(c));
  return sc && isSpanContextValid(sc) ? formatTraceparent(sc) : undefined;
}
