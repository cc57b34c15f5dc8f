import { type CallToolRequest, CallToolRequestSchema, JSONRPCRequestSchema, type RequestId } from '@modelcontextprotocol/sdk/types.js';
import { IDEMPOTENCY_META_KEY } from './call-meta';
import { intrusiveOptions } from './confirm-intrusive';

/**
 * `_meta` keys a quiet call may carry: none asks the server to send anything before the result. A progressToken
 * (progress notifications), a related task or any key this server does not know sends the call the SDK's way.
 */
const QUIET_META_KEYS: ReadonlySet<string> = new Set(['traceparent', 'tracestate', IDEMPOTENCY_META_KEY]);

/** What the server knows of a call beyond the request: see isQuietCall. */
export interface QuietCallState {
  /** A conformance fixture tool (test entries only): run by its own code, which may log. */
  isLocal(name: string): boolean;
  /** The session asked for log messages (logging/setLevel): the job's lifecycle goes out as notifications. */
  logsActive(): boolean;
  /** The client declared form elicitation: an intrusive scan may ask its user (confirm-intrusive.ts). */
  canElicit(): boolean;
}

/** One JSON-RPC `tools/call` request, parsed as the SDK parses it on its way to the handler. */
export interface ParsedToolCall {
  id: RequestId;
  request: CallToolRequest;
}

/**
 * A message that is one `tools/call` request, parsed with the SDK's own schemas in the SDK's order: the transport's
 * JSON-RPC envelope (JSONRPCRequestSchema, the member of JSONRPCMessageSchema a request matches), then the handler's
 * CallToolRequestSchema (tool-call-handler.ts). Undefined for anything else or anything either schema refuses: that
 * goes through the SDK, which answers it as it always did.
 */
export function parseToolCall(message: unknown): ParsedToolCall | undefined {
  if (typeof message !== 'object' || message === null || (message as { method?: unknown }).method !== 'tools/call') return undefined;
  const envelope = JSONRPCRequestSchema.safeParse(message);
  if (!envelope.success) return undefined;
  const request = CallToolRequestSchema.safeParse(envelope.data);
  return request.success ? { id: envelope.data.id, request: request.data } : undefined;
}

/**
 * Whether a tools/call can send nothing but its final response, so it needs no event stream (issue 12, the thin
 * /mcp path: functions/src/mcp-http/quiet-calls.ts). It may not when it is a task, carries a progressToken (or any
 * other `_meta` key but trace context and the idempotency key), is a local fixture tool, when the session has a log
 * level set (job lifecycle messages), or when it is an intrusive scan and the client can be asked to confirm
 * (elicitation is a request to the client over the stream; without elicitation the rule answers without asking).
 */
export function isQuietCall(request: CallToolRequest, state: QuietCallState): boolean {
  const { name, arguments: args = {}, task, _meta } = request.params;
  if (task !== undefined || state.isLocal(name) || state.logsActive()) return false;
  if (_meta !== undefined && Object.keys(_meta).some((k) => !QUIET_META_KEYS.has(k))) return false;
  return intrusiveOptions(name, args).length === 0 || !state.canElicit();
}
