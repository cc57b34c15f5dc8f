import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { ApiAnswer } from './api-call';
import { renderResult } from './render';

/** Everything the shim tells a model when a call fails, in one place. */
export function failure(code: string, message: string, recoverySuggestion: string, details?: Record<string, unknown>): CallToolResult {
  return {
    isError: true,
    content: [{ type: 'text', text: `${code}: ${message}\nWhat to do: ${recoverySuggestion}` }],
    structuredContent: { error: { code, message, recoverySuggestion, ...(details ? { details } : {}) } },
  };
}

/**
 * Map an API answer to an MCP answer: arguments that fail validation and unknown tools are protocol errors
 * (-32602); everything else that goes wrong is an isError result the model can read and act on.
 */
export function toCallToolResult(tool: string, answer: ApiAnswer<{ result: Record<string, unknown> }>, ctx: { apiUrl: string; timeoutMs: number }): CallToolResult {
  switch (answer.kind) {
    case 'ok':
      return { content: [{ type: 'text', text: renderResult(tool, answer.data.result) }], structuredContent: answer.data.result };
    case 'error': {
      const e = answer.body;
      if (e.code === 'VALIDATION_ERROR' || (e.code === 'NOT_FOUND' && answer.status === 404 && !e.details)) {
        throw new McpError(ErrorCode.InvalidParams, e.message, { code: e.code, recoverySuggestion: e.recoverySuggestion, details: e.details });
      }
      if (e.code === 'UNAUTHORIZED' || (e.code === 'FORBIDDEN' && answer.status === 403)) {
        return failure(e.code, `The netdiag API at ${ctx.apiUrl} rejected the shim's token: ${e.message}`, 'Set NETDIAG_TOKEN in the MCP client config to a token with the tools:run scope (npm start prints one).');
      }
      return failure(e.code, e.message, e.recoverySuggestion, e.details);
    }
    case 'unreachable':
      return failure('API_UNREACHABLE', `Cannot reach the netdiag API at ${ctx.apiUrl} (${answer.reason}).`, 'Start the API (npm start) or fix NETDIAG_API_URL in the MCP client config.');
    case 'timeout':
      return failure('TIMEOUT', `The API did not answer within ${ctx.timeoutMs} ms.`, 'Raise NETDIAG_TIMEOUT_MS or narrow the call (fewer targets, smaller timeoutSec).');
    case 'aborted':
      return failure('CANCELLED', 'The call was cancelled.', 'Call again if you still need the result.');
  }
}
