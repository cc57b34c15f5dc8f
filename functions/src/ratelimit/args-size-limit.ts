import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { AppEnv } from '../app-env';
import { ApiError } from '../errors/api-error';

/**
 * MCP_MAX_ARGS_LEN for tool calls: a request body larger than `maxBytes` is refused with the envelope
 * (VALIDATION_ERROR) before it is parsed. Without Content-Length the body is counted as it streams.
 */
export function argsSizeLimit(maxBytes: number): MiddlewareHandler<AppEnv> {
  return bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw ApiError.of('VALIDATION_ERROR', `The request body is larger than ${maxBytes} bytes (MCP_MAX_ARGS_LEN).`, {
        recoverySuggestion: "Send only the tool's parameters; shorten long values such as paths or port lists.",
        details: { field: 'body', maxBytes },
      });
    },
  });
}
