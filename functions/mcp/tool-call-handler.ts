import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { type RequestHandlerExtra, Protocol } from '@modelcontextprotocol/sdk/shared/protocol.js';
import {
  type CallToolRequest,
  CallToolRequestSchema,
  type CallToolResult,
  CallToolResultSchema,
  type CreateTaskResult,
  ErrorCode,
  McpError,
  type ServerNotification,
  type ServerRequest,
} from '@modelcontextprotocol/sdk/types.js';

type Extra = RequestHandlerExtra<ServerRequest, ServerNotification>;
type Handler = (request: CallToolRequest, extra: Extra) => Promise<CallToolResult | CreateTaskResult>;

/**
 * Register the tools/call handler with the SDK's Protocol layer (the request parsed once against CallToolRequestSchema,
 * as for every other method) instead of through Server.setRequestHandler, whose tools/call wrapper parses the request
 * a second time and every result once more against CallToolResultSchema or CreateTaskResultSchema (SDK 1.32, the
 * only thing that wrapper does). The results the API answers for are built here (answers.ts, tasks.ts), typed as
 * those results and with only their keys, so that parse could only pass and hand them back unchanged; skipping it
 * (with call-signal.ts) took the shim's CPU per call from ~1.95 to ~1.62 ms in a paired run (issue 12). A result this
 * server did not build (a conformance fixture tool, `checked`) is still parsed, and a bad one refused as before.
 */
export function setToolCallHandler(server: Server, handler: (request: CallToolRequest, extra: Extra, checked: CheckResult) => ReturnType<Handler>): void {
  const direct = Protocol.prototype.setRequestHandler as (this: Server, schema: typeof CallToolRequestSchema, h: Handler) => void;
  direct.call(server, CallToolRequestSchema, (request, extra) => handler(request, extra, checkToolResult));
}

export type CheckResult = (result: CallToolResult) => CallToolResult;

/** What Server's wrapper does with a result: its parsed form, or InvalidParams naming what is wrong. */
export function checkToolResult(result: CallToolResult): CallToolResult {
  const parsed = CallToolResultSchema.safeParse(result);
  if (!parsed.success) throw new McpError(ErrorCode.InvalidParams, `Invalid tools/call result: ${parsed.error.message}`);
  return parsed.data;
}
