/**
 * Everything of /mcp that needs the MCP SDK: recognising `initialize` and opening a session (server + transport).
 * route.ts loads this module on the first request that may open a session, so an API nobody calls over MCP never
 * loads the SDK (docs/design.md, "MCP"; it is ~10 MB of an idle API's memory).
 */
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
import { AnswerTap } from './answer-tap';
import { busCatalogue } from './bus-catalogue';
import { inProcessPort } from './in-process-port';
import { QuietCalls } from './quiet-calls';

/** Longest a tools/call waits on /mcp; the API's own job supervision ends every job well before. */
const CALL_TIMEOUT_MS = 660_000;

const HINTS: FailureHints = {
  apiUrl: 'this server',
  tokenName: 'your token',
  tokenFix: 'Send Authorization: Bearer <token> with a token that carries tools:read and tools:run.',
  unreachableFix: 'Report this to the operator: an in-process call failed.',
  timeoutFix: `Narrow the call (fewer ports or probes, smaller timeoutSec), or set _meta["${IDEMPOTENCY_META_KEY}"] and call again to reattach.`,
};

export interface SessionOpener {
  isInitialize(body: unknown): boolean;
  open(c: Context, parsedBody: unknown, principal: Principal, authInfo: AuthInfo): Promise<Response>;
}

type Log = (level: 'debug' | 'info' | 'warn' | 'error', msg: string, fields?: Record<string, unknown>) => void;

export function createSessionOpener(app: OpenAPIHono<AppEnv>, deps: AppDeps, log: Log): SessionOpener {
  const port = inProcessPort(app, deps);
  const catalogue = busCatalogue(deps.events);
  const sessions = deps.mcpSessions;

  const open = async (c: Context, parsedBody: unknown, principal: Principal, authInfo: AuthInfo): Promise<Response> => {
    if (deps.lifecycle.draining)
      throw ApiError.of('RESOURCE_EXHAUSTED', 'The server is shutting down and opens no new sessions.', { recoverySuggestion: 'Connect again in a moment.' });
    if (!(await sessions.hasRoom())) {
      throw ApiError.of('RESOURCE_EXHAUSTED', `Too many open MCP sessions (${deps.settings.mcpMaxSessions}).`, {
        recoverySuggestion: 'End unused sessions (DELETE /mcp) or try again later.',
      });
    }
    // Every tool the API knows renders its own text here, TOOLS_PACKAGE ones included (the shim knows the built-ins only).
    const renderers = new Map(deps.registry.all.map((d) => [d.name, d.render]));
    const { server, cleanup, quietCall } = createMcpServer({
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
    let quiet: QuietCalls | undefined;
    const end = async (): Promise<void> => {
      if (ended) return;
      ended = true;
      if (transport.sessionId) sessions.remove(transport.sessionId);
      answers.close();
      quiet?.close();
      await cleanup();
    };
    const transport: WebStandardStreamableHTTPServerTransport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: () => crypto.randomUUID(),
      onsessioninitialized: (id) => {
        quiet = new QuietCalls(quietCall, id, log);
        sessions.add({ id, principal: principal.id, transport, answers, quiet, close: end });
      },
      onsessionclosed: () => end(),
    });
    transport.onclose = () => void end();
    // Before connect, so it sees every message the server sends.
    const answers = new AnswerTap(transport);
    await server.connect(transport);
    const response = await transport.handleRequest(c.req.raw, { parsedBody, authInfo });
    if (transport.sessionId === undefined) await end();
    else log('debug', 'session opened', { sessionId: transport.sessionId, principal: principal.id });
    return response;
  };

  return { isInitialize: (body) => isInitializeRequest(body), open };
}
