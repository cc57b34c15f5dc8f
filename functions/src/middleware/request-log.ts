import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app-env';
import type { Principal } from '../auth/scopes';
import type { Logger } from '../deps';

export interface RequestLogOptions {
  logger: Logger;
  now?: () => number;
  /**
   * When the line is written: after the answer has gone out (setImmediate runs after this turn's I/O), because the
   * Node logger writes synchronously to its file and each call's answer, runner claim and report would otherwise
   * wait for it (issue 12). The trace context still travels with it.
   */
  defer?: (write: () => void) => void;
}

/**
 * One structured line per request, after the response is known: request id, method, path (no query string),
 * status, duration in ms and the principal id when a token was accepted. Headers and bodies are never logged, so
 * tokens never are. Level: debug for empty runner claims, warn for 5xx, info otherwise.
 * Register after requestId() so the id is set.
 */
/** Node: after this turn's I/O. Elsewhere (Workers log through console, nothing blocks): at once. */
const afterThisTurn = (write: () => void): void => {
  if (typeof setImmediate === 'function') setImmediate(write);
  else write();
};

export function requestLog({ logger, now = Date.now, defer = afterThisTurn }: RequestLogOptions): MiddlewareHandler<AppEnv> {
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
    // A runner's long-poll that came back empty is routine: debug, so idle runners don't flood the log. The claim route
    // says so on the context; reading the answer's body here would turn it into a stream on the call's path (issue 12).
    const level = status >= 500 ? 'warn' : c.get('idleClaim') === true ? 'debug' : 'info';
    defer(() => logger[level](line, 'request'));
  };
}
