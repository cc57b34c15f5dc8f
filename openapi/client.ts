/**
 * The raw typed API client of the API's in-process /mcp port (functions/src/mcp-http/in-process-port.ts, and the
 * types of functions/mcp/api-port.ts): openapi-fetch over the types generated from openapi/openapi.json
 * (openapi/schema.d.ts). Nothing here is written by hand but this thin factory. Programs, the shim and the runner
 * (its /runner/* protocol: @netdiag/client/runner) use the SDK (openapi/sdk/).
 */
import createClient, { type Client } from 'openapi-fetch';
import type { components, paths } from './schema';

export type { components, paths };
export type ApiClient = Client<paths>;
export type ErrorBody = components['schemas']['ErrorBody'];
export type ToolInfo = components['schemas']['ToolInfo'];
export type RunnerJob = components['schemas']['RunnerJob'];
export type JobOutcome = components['schemas']['JobOutcome'];

export interface ApiClientOptions {
  baseUrl: string;
  token: string;
  /** Injected for tests; defaults to the global fetch (keep-alive connections). */
  fetch?: typeof fetch;
  /** The Request class each call is built with; the global one by default (the API's /mcp port passes its own). */
  Request?: typeof Request;
}

export function createApiClient(options: ApiClientOptions): ApiClient {
  return createClient<paths>({
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    headers: { authorization: `Bearer ${options.token}` },
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.Request ? { Request: options.Request } : {}),
  });
}
