import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from './app-env';
import type { AppDeps } from './deps';
import { answeredError } from './errors/answered-error';
import { API_TAGS } from './schemas/api-tags';
import { HTTP_STATUS_BY_CODE, errorInfo } from '../shared/errors/codes';
import type { ErrorBody } from '../shared/errors/error-body';
import { bridgeEvents } from './events/bridge';
import { registerDrainGate } from './middleware/drain-gate';
import { requestId } from './middleware/request-id';
import { requestLog } from './middleware/request-log';
import { registerDocs } from './routes/docs';
import { registerConfig } from './routes/config';
import { registerEvents } from './routes/events';
import { registerHealth } from './routes/health';
import { registerJobs } from './routes/jobs';
import { registerToolsAdmin } from './routes/tools-admin';
import { registerLivez } from './routes/livez';
import { registerPolicy } from './routes/policy';
import { registerMcp } from './mcp-http/route';
import { registerRunnerProtocol } from './routes/runner-protocol';
import { registerRunnerRegistration } from './routes/runner-registration';
import { registerServiceInfo } from './routes/service-info';
import { registerToolExecute } from './routes/tool-execute';
import { registerToolsList } from './routes/tools-list';
import { observeTelemetry } from './telemetry/api-telemetry';
import { httpTelemetry } from './telemetry/http-telemetry';
import { registerMetrics } from './telemetry/metrics-route';
import { ValidatedOpenAPIHono } from './validation/validated-openapi-hono';
import { RememberedRouter } from './routing/remembered-router';

export const API_TITLE = 'netdiag-mcp API';

/** Build the API. No I/O happens here: everything comes in through `deps`. */
export function createApp(deps: AppDeps): OpenAPIHono<AppEnv> {
  // Its one defaultHook (validation/validation-hook.ts) answers every request that fails its route's schema; each
  // request's route match is looked up once its path has been seen (routing/remembered-router.ts).
  const app: OpenAPIHono<AppEnv> = new ValidatedOpenAPIHono({ router: new RememberedRouter() });
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', { type: 'http', scheme: 'bearer' });
  // First: the request's span is active for everything after it (request log lines carry its trace id).
  app.use(httpTelemetry({ isTool: (name) => deps.registry.get(name) !== undefined }));
  app.use(requestId());
  app.use(requestLog({ logger: deps.logger }));
  registerDrainGate(app, deps);

  app.onError((err, c) => {
    const { error, unexpected } = answeredError(err);
    if (unexpected) deps.logger.error({ err, requestId: c.var.requestId, path: c.req.path }, 'unhandled error');
    const body: ErrorBody = { error: { ...error.info, requestId: c.var.requestId } };
    return c.json(body, HTTP_STATUS_BY_CODE[error.info.code], error.headers);
  });
  app.notFound((c) => {
    const body: ErrorBody = { error: { ...errorInfo('NOT_FOUND', `No route ${c.req.method} ${c.req.path}.`), requestId: c.var.requestId } };
    return c.json(body, 404);
  });

  bridgeEvents(deps);
  observeTelemetry(deps);
  registerServiceInfo(app, deps);
  registerLivez(app);
  registerHealth(app, deps);
  registerToolsList(app, deps);
  registerToolsAdmin(app, deps);
  for (const def of deps.registry.all) registerToolExecute(app, deps, def);
  registerJobs(app, deps);
  registerEvents(app, deps);
  registerRunnerProtocol(app, deps);
  registerRunnerRegistration(app, deps);
  registerMcp(app, deps);
  registerConfig(app, deps);
  registerPolicy(app, deps);
  registerMetrics(app, deps);
  registerDocs(app, deps, { title: API_TITLE, document: () => openApiDocument(app, deps.version) });
  return app;
}

/** The OpenAPI 3.1 document of an app, as committed in openapi/openapi.json. */
export function openApiDocument(app: OpenAPIHono<AppEnv>, version: string): ReturnType<OpenAPIHono<AppEnv>['getOpenAPI31Document']> {
  return app.getOpenAPI31Document({
    openapi: '3.1.0',
    info: {
      title: API_TITLE,
      version,
      description: 'Network diagnostics for AI assistants and programs, run by sandboxed runners on a lab network.',
      license: { name: 'Apache-2.0', url: 'https://www.apache.org/licenses/LICENSE-2.0' },
    },
    // Relative: the API answers at whatever origin serves this document (Swagger UI's "Try it out" calls it there).
    servers: [{ url: '/', description: 'The server that serves this document' }],
    tags: API_TAGS,
  });
}
