import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { FailureHints } from '../../functions/mcp/answers';
import { createMcpServer } from '../../functions/mcp/server-factory';
import type { LocalFeatures } from '../../functions/mcp/local-features';
import type { LocalTool } from '../../functions/mcp/tool-catalogue';
import { createNetdiagClient } from '../../openapi/sdk/src/index';
import type { Log } from './log';
import { createSdkPort } from './sdk-port';
import { followServiceEvents } from './service-events';

export interface ShimOptions {
  apiUrl: string;
  token: string;
  timeoutMs: number;
  version: string;
  log: Log;
  fetch?: typeof fetch;
  /** Conformance fixtures; only the conformance entry passes them. */
  localTools?: readonly LocalTool[];
  localFeatures?: LocalFeatures;
}

const hints = (apiUrl: string): FailureHints => ({
  apiUrl,
  tokenName: "the shim's token",
  tokenFix: 'Set NETDIAG_TOKEN in the MCP client config to a token with the tools:read and tools:run scopes (npm start prints one).',
  unreachableFix: 'Start the API (npm start) or fix NETDIAG_API_URL in the MCP client config.',
  timeoutFix: 'Raise NETDIAG_TIMEOUT_MS in the MCP client config or narrow the call (fewer ports or probes, smaller timeoutSec).',
});

/** The shared MCP server over the SDK's calls to the API (@netdiag/client), plus the API's event stream for list_changed. No I/O until used. */
export function createServer(o: ShimOptions): { server: Server; cleanup: () => Promise<void> } {
  const client = createNetdiagClient({ baseUrl: o.apiUrl, token: o.token, ...(o.fetch ? { fetch: o.fetch } : {}) });
  const events = followServiceEvents({ client, log: o.log });
  const { server, cleanup } = createMcpServer({
    port: createSdkPort(client),
    version: o.version,
    hints: hints(o.apiUrl),
    timeoutMs: o.timeoutMs,
    catalogue: events,
    localTools: o.localTools,
    localFeatures: o.localFeatures,
    log: o.log,
  });
  server.oninitialized = () => events.start();
  return {
    server,
    cleanup: async () => {
      events.stop();
      await cleanup();
    },
  };
}
