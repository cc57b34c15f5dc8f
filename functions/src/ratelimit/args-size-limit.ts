import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { AppEnv } from '../app-env';
import { ApiError } from '../errors/api-error';

/**
 * MCP_MAX_ARGS_LEN for tool calls: a call whose body (the JSON text of its arguments) is larger than `maxBytes`
 * bytes is refused with the envelope (VALIDATION_ERROR) before it is parsed. The REST route checks the request body
 * (`argsSizeLimit`); /mcp's direct tool calls check the UTF-8 length of the JSON text the port would have sent as
 * that body (tool-call/direct-call.ts), so the same arguments are refused on both.
 */
export function checkArgsSize(maxBytes: number, bytes: number): void {
  if (bytes > maxBytes) throw argsTooLarge(maxBytes);
}

function argsTooLarge(maxBytes: number): ApiError {
  return ApiError.of('VALIDATION_ERROR', `The request body is larger than ${maxBytes} bytes (MCP_MAX_ARGS_LEN).`, {
    recoverySuggestion: "Send only the tool's parameters; shorten long values such as paths or port lists.",
    details: { field: 'body', maxBytes },
  });
}

/** Route middleware: `checkArgsSize` on the request body. Without Content-Length the body is counted as it streams. */
export function argsSizeLimit(maxBytes: number): MiddlewareHandler<AppEnv> {
  const refuse = (): never => {
    throw argsTooLarge(maxBytes);
  };
  const streaming = bodyLimit({ maxSize: maxBytes, onError: refuse });
  return async function argsSizeLimitMiddleware(c, next) {
    // The usual case, a Content-Length and no Transfer-Encoding, is decided from the headers alone (the same rule as
    // bodyLimit's). hono's bodyLimit first reads c.req.raw.body, which on Node turns the request into a full web
    // Request with a body stream; the body is then parsed through that stream instead of read directly: ~0.3 ms of
    // CPU per call on a small VM (issue 12). Node's HTTP parser frames the body by that Content-Length.
    const length = c.req.header('content-length');
    if (length !== undefined && c.req.header('transfer-encoding') === undefined) {
      checkArgsSize(maxBytes, parseInt(length, 10));
      return next();
    }
    return streaming(c, next);
  };
}
