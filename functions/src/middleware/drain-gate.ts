import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../app-env';
import { requireScope, scopeCheck } from '../auth/require-scope';
import type { AppDeps } from '../deps';
import { ApiError } from '../errors/api-error';
import { errorInfo } from '../../shared/errors/codes';

/** Seconds a runner is asked to wait before claiming again from a draining API. */
export const DRAIN_RETRY_AFTER_SEC = 2;

const shuttingDown = (message: string, recoverySuggestion: string, headers: Record<string, string> = {}): ApiError =>
  new ApiError(errorInfo('RESOURCE_EXHAUSTED', message, { recoverySuggestion, details: { shuttingDown: true } }), headers);

/**
 * While draining, refuse a new tool call of `principal` with 503 RESOURCE_EXHAUSTED; a retry whose Idempotency-Key
 * (`key`) reattaches to one of its jobs still goes through, since it starts nothing. The REST route's gate below and
 * /mcp's direct tool calls (tool-call/direct-call.ts) both call it, after the caller's tools:run check.
 */
export async function refuseNewCallWhileDraining(deps: Pick<AppDeps, 'lifecycle' | 'jobs'>, principal: string, key: string | undefined): Promise<void> {
  if (!deps.lifecycle.draining) return;
  if (key !== undefined && (await deps.jobs.findByKey(principal, key)) !== undefined) return;
  throw shuttingDown(
    'The server is shutting down and accepts no new calls.',
    'Call again in a moment: the server is restarting or another instance will take the call.',
  );
}

/**
 * While `deps.lifecycle.draining` is set (shutdown), the API takes no new work:
 * - a new execute is refused with 503 RESOURCE_EXHAUSTED (refuseNewCallWhileDraining);
 * - a runner's claim is answered at once with 503 and Retry-After, so runners back off instead of parking or spinning.
 * Callers are authenticated first, so the answer to an unknown token stays 401.
 */
export function registerDrainGate(app: OpenAPIHono<AppEnv>, deps: AppDeps): void {
  // The routes' own scope checks, run here first while draining.
  const asCaller = scopeCheck(deps.tokens, 'tools:run');
  const asRunner = requireScope(deps.tokens, 'runner');
  app.use('/tools/:name/execute', async function drainGateExecute(c, next) {
    if (!deps.lifecycle.draining) return next();
    const principal = await asCaller(c.req.header('authorization'));
    await refuseNewCallWhileDraining(deps, principal.id, c.req.header('idempotency-key'));
    return next();
  });
  app.use('/runner/claim', async function drainGateClaim(c, next) {
    if (!deps.lifecycle.draining) return next();
    await asRunner(c, async () => undefined);
    throw shuttingDown('The API is shutting down and hands out no new jobs.', `Claim again after Retry-After (${DRAIN_RETRY_AFTER_SEC}s).`, {
      'retry-after': String(DRAIN_RETRY_AFTER_SEC),
    });
  });
}
