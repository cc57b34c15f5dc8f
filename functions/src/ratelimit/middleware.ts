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
 * One token from the (principal, tool) bucket for this call, or 429 RATE_LIMITED with Retry-After (seconds) and
 * details { limit, windowSec, retryAfterSec }. A call whose Idempotency-Key (`key`) names one of this caller's jobs
 * reattaches to it: it was charged once. The REST route calls it through `rateLimit`, /mcp's direct tool calls
 * directly (tool-call/direct-call.ts).
 */
export async function chargeCall(
  limiter: RateLimiter,
  tool: string,
  jobs: Pick<JobStore, 'findByKey'> | undefined,
  principal: string,
  key: string | undefined,
): Promise<void> {
  if (key && jobs && (await jobs.findByKey(principal, key))) return;
  const decision = limiter.takeNow(principal, tool) ?? (await takeOrFailClosed(limiter, principal, tool));
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
}

/** Route middleware after requireScope: `chargeCall` for the request's principal and Idempotency-Key. */
export function rateLimit(limiter: RateLimiter, tool: string, jobs?: Pick<JobStore, 'findByKey'>): MiddlewareHandler<AppEnv> {
  return async function rateLimitMiddleware(c, next) {
    await chargeCall(limiter, tool, jobs, c.var.principal.id, c.req.header('idempotency-key'));
    await next();
  };
}
