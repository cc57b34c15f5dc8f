import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app-env';
import type { Principal } from '../auth/scopes';
import type { Logger } from '../deps';

export interface RequestLogOptions {
  logger: Logger;
  now?: () => number;
}

/** A runner's long-poll that came back empty: routine, so it is logged at debug and idle runners don't flood the log. */
async function isIdleClaim(c: Context<AppEnv>): Promise<boolean> {
  if (c.req.method !== 'POST' || c.req.path !== '/runner/claim' || c.res.status !== 200) return false;
  const body = (await c.res
    .clone()
    .json()
    .catch(() => undefined)) as { job?: unknown } | undefined;
  return body !== undefined && body.job === undefined;
}

/**
 * One structured line per request, after the response is known: request id, method, path (no query string),
 * status, duration in ms and the principal id when a token was accepted. Headers and bodies are never logged, so
 * tokens never are. Level: debug for empty runner claims, warn for 5xx, info otherwise.
 * Register after requestId() so the id is set.
 */
export function requestLog({ logger, now = Date.now }: RequestLogOptions): MiddlewareHandler<AppEnv> {
  return async function requestLogMiddleware(c, next) {
    const started = now();
    await next();
    const status = c.res.status;
    const principal = c.get('principal') as Principal | undefined;
    const line = {
      requestId: c.get('requestId'),
      method: c.req.method,
      path: c.req.path.slice(0, 512),
      status,
      durationMs: now() - started,
      principal: principal?.id ?? null,
    };
    if (status >= 500) logger.warn(line, 'request');
    else if (await isIdleClaim(c)) logger.debug(line, 'request');
    else logger.info(line, 'request');
  };
}
