import { HTTPException } from 'hono/http-exception';
import { errorInfo } from '../../shared/errors/codes';
import { ApiError } from './api-error';

/**
 * The ApiError an error is answered as: an ApiError as it is; a hono HTTPException below 500 (malformed JSON, an
 * unsupported media type) as VALIDATION_ERROR, or UNAUTHORIZED; anything else as 500 UNKNOWN, `unexpected` so the
 * caller logs it. app.onError's rule (app.ts) and /mcp's direct tool calls' (mcp-http/direct-execute.ts), so both answer alike.
 */
export function answeredError(err: unknown): { error: ApiError; unexpected: boolean } {
  if (err instanceof ApiError) return { error: err, unexpected: false };
  if (err instanceof HTTPException && err.status < 500) {
    return { error: ApiError.of(err.status === 401 ? 'UNAUTHORIZED' : 'VALIDATION_ERROR', err.message || 'Malformed request.'), unexpected: false };
  }
  return { error: new ApiError(errorInfo('UNKNOWN', 'Internal error.')), unexpected: true };
}
