import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import type { Context } from 'hono';
import type { AppEnv } from '../app-env';
import type { AppDeps } from '../deps';
import { ApiError } from '../errors/api-error';
import { authenticate, checkMethodScopes } from './auth';
import { hostAllowed, originAllowed, parseAddressRules } from './host-origin';
import { readJsonBody } from './json-body';
import type { SessionOpener } from './open-session';
import { markMcpRouted } from './mcp-stage-stamps';
import { describeMcpPath } from './openapi-path';
import { answerSingleAsJson } from './single-answer';
import { requestTraceparent } from '../telemetry/request-trace';

export const MCP_PATH = '/mcp';

const jsonRpcError = (c: Context, status: 400 | 404, code: number, message: string): Response =>
  c.json({ jsonrpc: '2.0', error: { code, message }, id: null }, status);

/**
 * Streamable HTTP MCP at /mcp, inside the API (any runtime: the SDK's Web Standard transport). Host and Origin are
 * checked first (403), then the bearer token on every request (401/403, same scopes as REST), then the session:
 * stateful, bound to the principal that opened it, with GET (server stream) and DELETE (end). Tool calls run the
 * execute route's own checks and job as functions (tool-call/direct-call.ts), other reads go through the REST routes
 * in process, so MCP and REST share auth, validation, policy, rate limits and jobs.
 */
export function registerMcp(app: OpenAPIHono<AppEnv>, deps: AppDeps): void {
  const hosts = parseAddressRules(deps.settings.mcpAllowedHosts, 'host');
  const origins = parseAddressRules(deps.settings.mcpAllowedOrigins, 'origin');
  const log = (level: 'debug' | 'info' | 'warn' | 'error', msg: string, fields: Record<string, unknown> = {}): void =>
    deps.logger[level]({ ...fields, component: 'mcp' }, msg);
  // The MCP SDK is loaded on the first request that may open a session, not at start-up (open-session.ts).
  let opener: Promise<SessionOpener> | undefined;
  const sessionOpener = (): Promise<SessionOpener> =>
    (opener ??= import('./open-session').then(
      (m) => m.createSessionOpener(app, deps, log),
      (err: unknown) => {
        opener = undefined; // a failed load is tried again on the next request
        throw err;
      },
    ));
  const sessions = deps.mcpSessions;

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
    // The request span's traceparent rides on the AuthInfo the tools/call handler gets: its span's parent when the
    // call's _meta names none (functions/mcp/call-span.ts; no async context carries it: telemetry/request-trace.ts).
    const traceparent = requestTraceparent(c);
    const authInfo: AuthInfo = { token, clientId: principal.id, scopes: [...principal.scopes], ...(traceparent ? { extra: { traceparent } } : {}) };
    let parsedBody: unknown;
    if (c.req.method === 'POST') {
      const read = await readJsonBody(c.req.raw);
      if (!read.ok) return read.response;
      parsedBody = read.body;
      checkMethodScopes(parsedBody, principal);
    }
    const sessionId = c.req.header('mcp-session-id');
    if (sessionId === undefined) {
      const open = c.req.method === 'POST' ? await sessionOpener() : undefined;
      if (open?.isInitialize(parsedBody)) return answerSingleAsJson(await open.open(c, parsedBody, principal, authInfo), c.req.raw.signal);
      return jsonRpcError(c, 400, -32000, 'Bad Request: Mcp-Session-Id header is required; send initialize first.');
    }
    const session = sessions.find(sessionId, principal.id);
    if (!session) return jsonRpcError(c, 404, -32001, 'Session not found');
    const handle = (): Promise<Response> => session.transport.handleRequest(c.req.raw, { parsedBody, authInfo });
    if (c.req.method !== 'POST') return handle();
    // One tools/call that can send nothing but its result skips the SDK transport (quiet-calls.ts; issue 12).
    if (session.quiet) {
      markMcpRouted(c.req.raw, parsedBody);
      session.quiet.cancel(parsedBody);
      const quiet = session.quiet.answer(c.req.raw, parsedBody, authInfo);
      if (quiet) return quiet;
    }
    // A POST whose final response comes first is answered as JSON (answer-tap.ts; batches: single-answer.ts; issue 12).
    if (session.answers && !Array.isArray(parsedBody)) return session.answers.answer(parsedBody, handle, c.req.raw.signal);
    return answerSingleAsJson(await handle(), c.req.raw.signal);
  });
}
