import { type ApiClient, createApiClient } from '../../../openapi/client';
import type { AppDeps } from '../deps';
import { type McpApiPort, createApiPort } from '../../mcp/api-port';
import { awaitInStore } from './await-in-store';
import { directExecute } from './direct-execute';
import { IN_PROCESS_BASE_URL, InProcessRequest } from './in-process-request';

/** Anything that answers a Request the way the API does: the Hono app itself. */
export interface InProcessApp {
  fetch(request: Request): Response | Promise<Response>;
}

/** Hand a Request to the app; like a network fetch, reject as soon as it is aborted (the app itself may take longer to notice). */
export function toApp(app: InProcessApp, request: Request): Promise<Response> {
  return new Promise<Response>((resolve, reject) => {
    const abort = (): void => reject(request.signal.reason ?? new DOMException('The operation was aborted.', 'AbortError'));
    if (request.signal.aborted) return abort();
    request.signal.addEventListener('abort', abort, { once: true });
    Promise.resolve(app.fetch(request))
      .then(resolve, reject)
      .finally(() => request.signal.removeEventListener('abort', abort));
  });
}

/** The typed client (openapi-fetch) over the app in process, for the port's calls other than a tool's execute. */
export function typedInProcessClient(app: InProcessApp): ApiClient {
  const inProcessFetch: typeof fetch = (input, init) => toApp(app, input instanceof Request && init === undefined ? input : new InProcessRequest(input, init));
  // InProcessRequest: the body stays text with its Content-Length, as a network request's would (in-process-request.ts).
  return createApiClient({ baseUrl: IN_PROCESS_BASE_URL, token: '', fetch: inProcessFetch, Request: InProcessRequest });
}

/**
 * The API port for /mcp: the same typed client the shim uses, with a fetch that hands each Request straight to the
 * app. Nothing crosses a network; each call still passes the app's middleware and routes, with the caller's own
 * Authorization (set per request; without one the app answers 401). A tool's POST /tools/{name}/execute is not a
 * request at all: the route's checks and job are called as functions (direct-execute.ts, tool-call/direct-call.ts),
 * and the wait for a started job is on the job store (await-in-store.ts).
 */
export function inProcessPort(app: InProcessApp, deps: AppDeps): McpApiPort {
  const rest = createApiPort(typedInProcessClient(app));
  const execute = directExecute(deps);
  return {
    ...rest,
    startJob: (tool, args, key, ctx) => execute(tool, args, key, ctx, true),
    runOnce: (tool, args, ctx) => execute(tool, args, undefined, ctx, false),
    awaitJob: (tool, _args, key, ctx) => awaitInStore(deps, tool, key, ctx),
  };
}
