import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';

/** JSON-RPC code the MCP spec gives "resource not found" (server/resources, "Error Handling"). */
export const RESOURCE_NOT_FOUND = -32002;

/**
 * A JSON-RPC error as it should read on the wire. McpError puts "MCP error <code>: " in front of its message and
 * the SDK sends that message as it is; the client's McpError adds the prefix again, so a client showed
 * "MCP error -32602: MCP error -32602: ...". This one keeps the plain message (still an McpError for instanceof).
 */
export class ProtocolError extends McpError {
  constructor(code: number, message: string, data?: unknown) {
    super(code, message, data);
    this.message = message;
  }
}

/** Invalid params (-32602): the message names the field and what it accepts. */
export const invalidParams = (message: string, data?: unknown): ProtocolError => new ProtocolError(ErrorCode.InvalidParams, message, data);
