import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import type { Context } from 'hono';
import type { AppEnv } from '../app-env';
import type { Principal } from '../auth/scopes';
import type { AppDeps } from '../deps';
import { ApiError } from '../errors/api-error';
import type { FailureHints } from '../../mcp/answers';
import { IDEMPOTENCY_META_KEY } from '../../mcp/call-meta';
import { createMcpServer } from '../../mcp/server-factory';
import { authenticate, checkMethodScopes } from './auth';
import { busCatalogue } from './bus-catalogue';
import { hostAllowed, originAllowed, parseAddressRules } from './host-origin';
import { inProcessPort } from './in-process-port';
import { readJsonBody } from './json-body';
import { describeMcpPath } from './openapi-path';

export const MCP_PATH = '/mcp';

/** Longest a tools/call waits on /mcp; the API's own job supervision ends every job well before. */
const CALL_TIMEOUT_MS = 660_000;

const HINTS: FailureHints = {
  apiUrl: 'this server',
  tokenName: 'your token',
  tokenFix: 'Send Authorization: Bearer <token> with a token that carries tools:read and tools:run.',
  unreachableFix: 'Report this to the operator: an in-process call failed.',
  timeoutFix: `Narrow the call (fewer ports or probes, smaller timeoutSec), or set _meta["${IDEMPOTENCY_META_KEY}"] and call again to reattach.`,
};

const jsonRpcError = (c: Context, status: 400 | 404, code: number, message: string): Response =>
  c.json({ jsonrpc: '2.0', error: { code, message }, id: null }, status);

/**
 * Streamable HTTP MCP at /mcp, inside the API (any runtime: the SDK's Web Standard transport). Host and Origin are
 * checked first (403), then the bearer token on every request (401/403, same scopes as REST), then the session:
 * stateful, bound to the principal that opened it, with GET (server stream) and DELETE (end). Tool calls go
 * through the REST routes in process, so MCP and REST share auth, validation, policy, rate limits and jobs.
 */
export function registerMcp(app: OpenAPIHono<AppEnv>, deps: AppDeps): void {
  const hosts = parseAddressRules(deps.settings.mcpAllowedHosts, 'host');
  const origins = parseAddressRules(deps.settings.mcpAllowedOrigins, 'origin');
  const port = inProcessPort(app, deps);
  const catalogue = busCatalogue(deps.events);
  const sessions = deps.mcpSessions;
  const log = (level: 'debug' | 'info' | 'warn' | 'error', msg: string, fields: Record<string, unknown> = {}): void =>
    deps.logger[level]({ ...fields, component: 'mcp' }, msg);

  const openSession = async (c: Context, parsedBody: unknown, principal: Principal, authInfo: AuthInfo): Promise<Response> => {
    if (deps.lifecycle.draining)
      throw ApiError.of('RESOURCE_EXHAUSTED', 'The server is shutting down and opens no new sessions.', { recoverySuggestion: 'Connect again in a moment.' });
    if (!(await sessions.hasRoom())) {
      throw ApiError.of('RESOURCE_EXHAUSTED', `Too many open MCP sessions (${deps.settings.mcpMaxSessions}).`, {
        recoverySuggestion: 'End unused sessions (DELETE /mcp) or try again later.',
      });
    }
    // Every tool the API knows renders its own text here, TOOLS_PACKAGE ones included (the shim knows the built-ins only).
    const renderers = new Map(deps.registry.all.map((d) => [d.name, d.render]));
    const { server, cleanup } = createMcpServer({
      port,
      version: deps.version,
      hints: HINTS,
      timeoutMs: CALL_TIMEOUT_MS,
      catalogue,
      localTools: deps.mcpLocalTools,
      localFeatures: deps.mcpLocalFeatures,
      log,
      renderers,
      audit: (e) => deps.audit?.({ kind: 'confirm', ...e }),
      traceCalls: { tracer: 'netdiag-api', networkTransport: 'tcp' },
    });
    // However a session ends (DELETE, idle sweep, shutdown, transport closed), it is forgotten and its server closed, once.
    let ended = false;
    const end = async (): Promise<void> => {
      if (ended) return;
      ended = true;
      if (transport.sessionId) sessions.remove(transport.sessionId);
      await cleanup();
    };
    const transport: WebStandardStreamableHTTPServerTransport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: () => crypto.randomUUID(),
      onsessioninitialized: (id) => sessions.add({ id, principal: principal.id, transport, close: end }),
      onsessionclosed: () => end(),
    });
    transport.onclose = () => void end();
    await server.connect(transport);
    const response = await transport.handleRequest(c.req.raw, { parsedBody, authInfo });
    if (transport.sessionId === undefined) await end();
    else log('debug', 'session opened', { sessionId: transport.sessionId, principal: principal.id });
    return response;
  };

  describeMcpPath(app, MCP_PATH);
  app.on(['GET', 'POST', 'DELETE'], MCP_PATH, async (c) => {
    const host = c.req.header('host') ?? new URL(c.req.url).host;
    if (!hostAllowed(host, hosts)) {
      throw ApiError.of('FORBIDDEN', `This server does not answer to the host name "${host}".`, {
        recoverySuggestion: 'Use an allowed host name (MCP_ALLOWED_HOSTS, by default localhost, 127.0.0.1 and [::1]).',
      });
    }
    if (!originAllowed(c.req.header('origin'), origins)) {
      throw ApiError.of('FORBIDDEN', 'Requests from this Origin are not allowed.', {
        recoverySuggestion: "An operator can allow the web page's origin in MCP_ALLOWED_ORIGINS.",
      });
    }
    const { principal, token } = await authenticate(c.req.header('authorization'), deps.tokens);
    c.set('principal', principal);
    const authInfo: AuthInfo = { token, clientId: principal.id, scopes: [...principal.scopes] };
    let parsedBody: unknown;
    if (c.req.method === 'POST') {
      const read = await readJsonBody(c.req.raw);
      if (!read.ok) return read.response;
      parsedBody = read.body;
      checkMethodScopes(parsedBody, principal);
    }
    const sessionId = c.req.header('mcp-session-id');
    if (sessionId === undefined) {
      if (c.req.method === 'POST' && isInitializeRequest(parsedBody)) return openSession(c, parsedBody, principal, authInfo);
      return jsonRpcError(c, 400, -32000, 'Bad Request: Mcp-Session-Id header is required; send initialize first.');
    }
    const session = sessions.find(sessionId, principal.id);
    if (!session) return jsonRpcError(c, 404, -32001, 'Session not found');
    return session.transport.handleRequest(c.req.raw, { parsedBody, authInfo });
  });
}
