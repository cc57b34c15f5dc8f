import { context } from '@opentelemetry/api';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app-env';
import type { Principal } from '../auth/scopes';
import type { Logger } from '../deps';
import { afterAnswer } from '../telemetry/after-answer';
import { requestTraceContext } from '../telemetry/request-trace';

export interface RequestLogOptions {
  logger: Logger;
  now?: () => number;
  /**
   * When the line is built and written: after the answer has gone out (telemetry/after-answer.ts), because the Node
   * logger writes synchronously to its file and each call's answer, runner claim and report would otherwise wait for
   * it (issue 12). Status and duration are taken before, as the middleware unwinds.
   */
  defer?: (write: () => void) => void;
}

/**
 * One structured line per request, after the response is known: request id, method, path (no query string),
 * status, duration in ms and the principal id when a token was accepted. Headers and bodies are never logged, so
 * tokens never are. Level: debug for empty runner claims, warn for 5xx, info otherwise.
 * Register after requestId() so the id is set.
 */
export function requestLog({ logger, now = Date.now, defer = afterAnswer }: RequestLogOptions): MiddlewareHandler<AppEnv> {
  return async function requestLogMiddleware(c, next) {
    const started = now();
    await next();
    const durationMs = now() - started;
    const status = c.res.status;
    // Written in the request span's context, so the line carries its trace and span ids (telemetry/request-trace.ts).
    defer(() =>
      context.with(requestTraceContext(c), () => {
        const principal = c.get('principal') as Principal | undefined;
        const line = {
          requestId: c.get('requestId'),
          method: c.req.method,
          path: c.req.path.slice(0, 512),
          status,
          durationMs,
          principal: principal?.id ?? null,
        };
        // A runner's long-poll that came back empty is routine: debug, so idle runners don't flood the log. The claim
        // route says so on the context; reading the answer's body here would turn it into a stream (issue 12).
        const level = status >= 500 ? 'warn' : c.get('idleClaim') === true ? 'debug' : 'info';
        logger[level](line, 'request');
      }),
    );
  };
}
