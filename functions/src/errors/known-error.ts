import { HTTPException } from 'hono/http-exception';
import { ApiError } from './api-error';

/**
 * The ApiError an error is answered as, or undefined for an unexpected one (answered 500 UNKNOWN and logged):
 * app.onError's rule (app.ts), and /mcp's direct tool calls' (mcp-http/direct-execute.ts), so both answer alike.
 * A hono HTTPException below 500 (malformed JSON, an unsupported media type) is a VALIDATION_ERROR, or UNAUTHORIZED.
 */
export function knownError(err: unknown): ApiError | undefined {
  if (err instanceof ApiError) return err;
  if (err instanceof HTTPException && err.status < 500)
    return ApiError.of(err.status === 401 ? 'UNAUTHORIZED' : 'VALIDATION_ERROR', err.message || 'Malformed request.');
  return undefined;
}
