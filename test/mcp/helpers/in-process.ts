import { createHash } from 'node:crypto';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { createApp } from '../../../functions/src/app';
import type { AppEnv } from '../../../functions/src/app-env';
import type { ApiSettings } from '../../../functions/src/config/settings';
import { createDeps } from '../../../functions/src/create-deps';
import type { AppDeps } from '../../../functions/src/deps';

const sha256 = (t: string): string => createHash('sha256').update(t).digest('hex');

/** Tokens of the in-process app, one per scope combination /mcp distinguishes. */
export const MCP_TOKENS = {
  client: 'mcp-client-token-aaaaaaaaaaaa',
  reader: 'mcp-reader-token-bbbbbbbbbbbb',
  runOnly: 'mcp-runonly-token-cccccccccccc',
  runner: 'mcp-runner-token-dddddddddddd',
  admin: 'mcp-admin-token-eeeeeeeeeeee',
} as const;

export interface McpApp {
  app: OpenAPIHono<AppEnv>;
  deps: AppDeps;
  /** A request to the app, as a network client would send it (no Host header unless given). */
  request(method: string, path: string, init?: { token?: string; headers?: Record<string, string>; body?: unknown }): Promise<Response>;
  /** The SDK's Client over Streamable HTTP, its fetch handed straight to the app. */
  connect(token: string): Promise<{ client: Client; transport: StreamableHTTPClientTransport; close(): Promise<void> }>;
  close(): Promise<void>;
}

/** The API in process (no runner unless a test plays one), with /mcp and the tokens above. */
export function makeMcpApp(env: Record<string, string> = {}, overrides: Partial<ApiSettings> = {}): McpApp {
  const deps = createDeps({
    env,
    overrides,
    version: 'test',
    tokens: [
      { id: 'client', sha256: sha256(MCP_TOKENS.client), scopes: ['tools:read', 'tools:run'] },
      { id: 'reader', sha256: sha256(MCP_TOKENS.reader), scopes: ['tools:read'] },
      { id: 'run-only', sha256: sha256(MCP_TOKENS.runOnly), scopes: ['tools:run'] },
      { id: 'runner', sha256: sha256(MCP_TOKENS.runner), scopes: ['runner'] },
      { id: 'admin', sha256: sha256(MCP_TOKENS.admin), scopes: ['tools:read', 'tools:run', 'tools:admin'] },
    ],
  });
  const app = createApp(deps);
  const appFetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> =>
    app.fetch(input instanceof Request ? input : new Request(input, init));
  return {
    app,
    deps,
    request: (method, path, init = {}) => {
      const headers: Record<string, string> = { ...(init.token ? { authorization: `Bearer ${init.token}` } : {}), ...init.headers };
      if (init.body !== undefined) headers['content-type'] ??= 'application/json';
      if (path === '/mcp' && method === 'POST') headers['accept'] ??= 'application/json, text/event-stream';
      return appFetch(`http://localhost${path}`, { method, headers, ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}) });
    },
    connect: async (token) => {
      const transport = new StreamableHTTPClientTransport(new URL('http://localhost/mcp'), {
        fetch: appFetch,
        requestInit: { headers: { authorization: `Bearer ${token}` } },
      });
      const client = new Client({ name: 'in-process-test', version: '1.0.0' });
      await client.connect(transport);
      return { client, transport, close: () => client.close() };
    },
    close: async () => {
      await deps.mcpSessions.closeAll();
      deps.jobs.close();
    },
  };
}

/** A JSON-RPC initialize request body. */
export const initializeBody = (id = 1): Record<string, unknown> => ({
  jsonrpc: '2.0',
  id,
  method: 'initialize',
  params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw-test', version: '1' } },
});
