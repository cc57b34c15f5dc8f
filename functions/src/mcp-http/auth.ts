import type { Principal, Scope } from '../auth/scopes';
import type { TokenVerifier } from '../auth/tokens';
import { verifyBearer } from '../auth/bearer';
import { ApiError } from '../errors/api-error';

/** The scopes /mcp knows: each method needs the one its REST counterpart needs; everything else either. */
const MCP_SCOPES: readonly Scope[] = ['tools:read', 'tools:run'];
const METHOD_SCOPE: Readonly<Record<string, Scope>> = {
  'tools/list': 'tools:read',
  'tools/call': 'tools:run',
  // Jobs as resources and tasks: GET /jobs, GET /jobs/{id} and its events need tools:read, DELETE /jobs/{id} tools:run.
  'resources/list': 'tools:read',
  'resources/read': 'tools:read',
  'resources/subscribe': 'tools:read',
  'tasks/get': 'tools:read',
  'tasks/result': 'tools:read',
  'tasks/list': 'tools:read',
  'tasks/cancel': 'tools:run',
};

/**
 * Every /mcp request carries a bearer token (a session id is not authentication): 401 without a valid one, 403
 * when it carries neither tools:read nor tools:run. Returns the principal and the token for the in-process calls.
 */
export async function authenticate(header: string | undefined, tokens: TokenVerifier): Promise<{ principal: Principal; token: string }> {
  const bearer = await verifyBearer(header, tokens);
  if (!bearer.ok) {
    throw new ApiError(
      {
        code: 'UNAUTHORIZED',
        message: bearer.reason,
        recoverySuggestion: 'Send Authorization: Bearer <token> with a token issued for this server (tools:read to list, tools:run to call).',
      },
      { 'www-authenticate': 'Bearer realm="netdiag"' },
    );
  }
  const { principal, token } = bearer;
  if (!MCP_SCOPES.some((s) => principal.scopes.has(s))) {
    throw ApiError.of('FORBIDDEN', 'This token carries neither "tools:read" nor "tools:run".', {
      recoverySuggestion: 'Use a token with tools:read (to list tools) and tools:run (to call them).',
    });
  }
  return { principal, token };
}

/** 403 when a JSON-RPC message in the body calls a method the token's scopes do not cover. */
export function checkMethodScopes(body: unknown, principal: Principal): void {
  const messages = Array.isArray(body) ? body : [body];
  for (const m of messages) {
    const method = typeof m === 'object' && m !== null ? (m as { method?: unknown }).method : undefined;
    const needed = typeof method === 'string' ? METHOD_SCOPE[method] : undefined;
    if (needed && !principal.scopes.has(needed)) {
      throw ApiError.of('FORBIDDEN', `${String(method)} needs the "${needed}" scope, which this token lacks.`, {
        recoverySuggestion: `Use a token that carries "${needed}".`,
      });
    }
  }
}
