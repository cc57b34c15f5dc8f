import { OpenAPIHono } from '@hono/zod-openapi';
import { HTTPException } from 'hono/http-exception';
import { requestId } from 'hono/request-id';
import type { AppEnv } from './app-env';
import type { AppDeps } from './deps';
import { ApiError } from './errors/api-error';
import { HTTP_STATUS_BY_CODE, errorInfo } from './errors/codes';
import type { ErrorBody } from './errors/error-body';
import { bridgeEvents } from './events/bridge';
import { registerEvents } from './routes/events';
import { registerHealth } from './routes/health';
import { registerJobs } from './routes/jobs';
import { registerToolsAdmin } from './routes/tools-admin';
import { registerLivez } from './routes/livez';
import { registerRunnerProtocol } from './routes/runner-protocol';
import { registerToolExecute } from './routes/tool-execute';
import { registerToolsList } from './routes/tools-list';

export const API_TITLE = 'netdiag-mcp API';

/** Build the API. No I/O happens here: everything comes in through `deps`. */
export function createApp(deps: AppDeps): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) {
        const issues = result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
        const first = issues[0];
        throw ApiError.of('VALIDATION_ERROR', first ? `Invalid ${first.path || 'request'}: ${first.message}` : 'Invalid request.', { details: { issues } });
      }
    },
  });
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', { type: 'http', scheme: 'bearer' });
  app.use(requestId());

  app.onError((err, c) => {
    const known =
      err instanceof ApiError
        ? err
        : err instanceof HTTPException && err.status < 500
          ? ApiError.of(err.status === 401 ? 'UNAUTHORIZED' : 'VALIDATION_ERROR', err.message || 'Malformed request.')
          : undefined;
    if (!known) deps.logger.error({ err, requestId: c.var.requestId, path: c.req.path }, 'unhandled error');
    const info = known?.info ?? errorInfo('UNKNOWN', 'Internal error.');
    const body: ErrorBody = { error: { ...info, requestId: c.var.requestId } };
    return c.json(body, HTTP_STATUS_BY_CODE[info.code], known?.headers);
  });
  app.notFound((c) => {
    const body: ErrorBody = { error: { ...errorInfo('NOT_FOUND', `No route ${c.req.method} ${c.req.path}.`), requestId: c.var.requestId } };
    return c.json(body, 404);
  });

  bridgeEvents(deps);
  registerLivez(app);
  registerHealth(app, deps);
  registerToolsList(app, deps);
  registerToolsAdmin(app, deps);
  for (const def of deps.registry.all) registerToolExecute(app, deps, def);
  registerJobs(app, deps);
  registerEvents(app, deps);
  registerRunnerProtocol(app, deps);
  return app;
}

/** The OpenAPI 3.1 document of an app, as committed in openapi/openapi.json. */
export function openApiDocument(app: OpenAPIHono<AppEnv>, version: string): ReturnType<OpenAPIHono<AppEnv>['getOpenAPI31Document']> {
  return app.getOpenAPI31Document({
    openapi: '3.1.0',
    info: { title: API_TITLE, version, description: 'Network diagnostics for AI assistants and programs, run by sandboxed runners on a lab network.' },
  });
}
