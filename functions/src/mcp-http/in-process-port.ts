import { createApiClient } from '../../../openapi/client';
import type { AppDeps } from '../deps';
import { type McpApiPort, createApiPort } from '../../mcp/api-port';
import { awaitInStore } from './await-in-store';
import { InProcessRequest } from './in-process-request';

/** Anything that answers a Request the way the API does: the Hono app itself. */
export interface InProcessApp {
  fetch(request: Request): Response | Promise<Response>;
}

/**
 * The API port for /mcp: the same typed client the shim uses, with a fetch that hands each Request straight to the
 * app. Nothing crosses a network; each call still passes the app's middleware and routes, with the caller's own
 * Authorization (set per request; without one the app answers 401). Only the wait for a started job skips the
 * second REST pass and waits on the job store (see await-in-store.ts).
 */
export function inProcessPort(app: InProcessApp, deps: Pick<AppDeps, 'jobs' | 'registry' | 'logger'>): McpApiPort {
  const inProcessFetch: typeof fetch = (input, init) => {
    const request = input instanceof Request && init === undefined ? input : new InProcessRequest(input, init);
    // Like a network fetch, reject as soon as the request is aborted (the app itself may take longer to notice).
    return new Promise<Response>((resolve, reject) => {
      const abort = (): void => reject(request.signal.reason ?? new DOMException('The operation was aborted.', 'AbortError'));
      if (request.signal.aborted) return abort();
      request.signal.addEventListener('abort', abort, { once: true });
      Promise.resolve(app.fetch(request))
        .then(resolve, reject)
        .finally(() => request.signal.removeEventListener('abort', abort));
    });
  };
  // InProcessRequest: the body stays text with its Content-Length, as a network request's would (in-process-request.ts).
  const rest = createApiPort(createApiClient({ baseUrl: 'http://in-process.netdiag', token: '', fetch: inProcessFetch, Request: InProcessRequest }));
  return { ...rest, awaitJob: (tool, _args, key, ctx) => awaitInStore(deps, tool, key, ctx) };
}
