import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app-env';
import { ApiError } from '../errors/api-error';
import { errorInfo } from '../../shared/errors/codes';
import type { JobStore } from '../jobs/store';
import type { RateDecision, RateLimiter } from './rate-limiter';

/**
 * Fail closed (docs/security.md, "Service"): when the bucket store cannot answer (Redis down), the call is refused
 * at once with 503 rather than let through unlimited or held until the store returns.
 */
async function takeOrFailClosed(limiter: RateLimiter, principal: string, tool: string): Promise<RateDecision> {
  try {
    return await limiter.take(principal, tool);
  } catch {
    throw ApiError.of('UNAVAILABLE', `The rate-limit store is unavailable, so ${tool} calls are refused for now.`, {
      recoverySuggestion: 'Try again in a few seconds; GET /health says whether the broker is back.',
      details: { tool, component: 'rate-limit' },
    });
  }
}

/**
 * Route middleware after requireScope: one token from the (principal, tool) bucket per call, or
 * 429 RATE_LIMITED with Retry-After (seconds) and details { limit, windowSec, retryAfterSec }.
 */
export function rateLimit(limiter: RateLimiter, tool: string, jobs?: Pick<JobStore, 'findByKey'>): MiddlewareHandler<AppEnv> {
  return async function rateLimitMiddleware(c, next) {
    // A request whose Idempotency-Key names one of this caller's jobs reattaches to it: the call was charged once.
    const key = c.req.header('idempotency-key');
    if (key && jobs && (await jobs.findByKey(c.var.principal.id, key))) return next();
    const decision = limiter.takeNow(c.var.principal.id, tool) ?? (await takeOrFailClosed(limiter, c.var.principal.id, tool));
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
