import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app-env';
import { ApiError } from '../errors/api-error';
import { errorInfo } from '../errors/codes';
import type { RateLimiter } from './rate-limiter';

/**
 * Route middleware after requireScope: one token from the (principal, tool) bucket per call, or
 * 429 RATE_LIMITED with Retry-After (seconds) and details { limit, windowSec, retryAfterSec }.
 */
export function rateLimit(limiter: RateLimiter, tool: string): MiddlewareHandler<AppEnv> {
  return async function rateLimitMiddleware(c, next) {
    const decision = limiter.take(c.var.principal.id, tool);
    if (!decision.allowed) {
      const { limit, windowSec, retryAfterSec } = decision;
      throw new ApiError(
        errorInfo('RATE_LIMITED', `Too many ${tool} calls with this token: at most ${limit} per ${windowSec} s.`, {
          recoverySuggestion: `Wait ${retryAfterSec} s (Retry-After) before calling ${tool} again; other tools are not affected.`,
          details: { tool, limit, windowSec, retryAfterSec },
        }),
        { 'retry-after': String(retryAfterSec) },
      );
    }
    await next();
  };
}
