import { ROOT_CONTEXT, SpanKind, SpanStatusCode, isSpanContextValid, trace } from '@opentelemetry/api';
import { type CallToolResult, type CreateTaskResult, McpError, type RequestId } from '@modelcontextprotocol/sdk/types.js';
import { formatTraceparent, parseTraceparent } from '../shared/telemetry/traceparent';

/** Where tools/call spans go when the server traces its own calls (/mcp; the shim traces at its transport instead). */
export interface CallSpanOptions {
  tracer: string;
  /** network.transport of the semantic conventions: tcp for Streamable HTTP. */
  networkTransport: 'tcp' | 'pipe';
}

export interface CallSpanInfo {
  tool: string;
  requestId: RequestId;
  sessionId: string | undefined;
  /** The caller's trace context from _meta (traceparent, tracestate), possibly empty. */
  traceHeaders: Readonly<Record<string, string>>;
  /**
   * The traceparent of the request that carried the call (/mcp's request span, handed over on its AuthInfo:
   * functions/src/mcp-http/route.ts): the parent when _meta names none. No async context carries it (issue 12).
   */
  transportTraceparent?: string | undefined;
}

/**
 * One SERVER span per tools/call, as the OpenTelemetry MCP semantic conventions name it ("tools/call <tool>",
 * mcp.method.name, gen_ai.tool.name, mcp.session.id, jsonrpc.request.id; error.type tool_error for an isError
 * result). Its parent is the caller's _meta trace context when given, else the carrying request's (transportTraceparent); the API calls made for the call carry the
 * span's own traceparent, so the REST, job and runner spans hang under it (docs/design.md, "Observability").
 */
export async function traceToolCall<R extends CallToolResult | CreateTaskResult>(
  o: CallSpanOptions,
  info: CallSpanInfo,
  run: (traceHeaders: Readonly<Record<string, string>>) => Promise<R>,
): Promise<R> {
  const remote = parseTraceparent(info.traceHeaders['traceparent']) ?? parseTraceparent(info.transportTraceparent);
  const parent = remote ? trace.setSpanContext(ROOT_CONTEXT, remote) : ROOT_CONTEXT;
  const span = trace.getTracer(o.tracer).startSpan(
    `tools/call ${info.tool}`,
    {
      kind: SpanKind.SERVER,
      attributes: {
        'mcp.method.name': 'tools/call',
        'gen_ai.operation.name': 'execute_tool',
        'gen_ai.tool.name': info.tool,
        'jsonrpc.request.id': String(info.requestId),
        'network.transport': o.networkTransport,
        ...(info.sessionId !== undefined ? { 'mcp.session.id': info.sessionId } : {}),
      },
    },
    parent,
  );
  const sc = span.spanContext();
  const headers = isSpanContextValid(sc) ? { ...info.traceHeaders, traceparent: formatTraceparent(sc) } : info.traceHeaders;
  try {
    // Handed on explicitly in `headers` (the API requests' traceparent), not through an active context.
    const result = await run(headers);
    if ('isError' in result && result.isError === true)
      span.setAttribute('error.type', 'tool_error').setStatus({ code: SpanStatusCode.ERROR, message: 'tool result isError' });
    return result;
  } catch (err) {
    span.setAttribute('error.type', err instanceof McpError ? String(err.code) : err instanceof Error ? err.name : 'unknown');
    span.setStatus({ code: SpanStatusCode.ERROR, message: err instanceof Error ? err.message : String(err) });
    throw err;
  } finally {
    span.end();
  }
}
