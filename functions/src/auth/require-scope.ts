import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app-env';
import { ApiError } from '../errors/api-error';
import { verifyBearer } from './bearer';
import type { Principal, Scope } from './scopes';
import type { TokenVerifier } from './tokens';

/**
 * The caller behind `authorization` (the header's value), if its bearer token is valid (401 otherwise) and carries
 * `scope`, or one of a list of scopes (403 otherwise). The REST routes call it through `requireScope`; /mcp's direct
 * tool calls (tool-call/direct-call.ts) call it with the caller's own Authorization, so both refuse alike.
 */
export function scopeCheck(tokens: TokenVerifier, scope: Scope | readonly Scope[]): (authorization: string | undefined) => Promise<Principal> {
  const accepted: readonly Scope[] = typeof scope === 'string' ? [scope] : scope;
  const named = accepted.map((s) => `"${s}"`).join(' or ');
  return async function principalWithScope(authorization) {
    const bearer = await verifyBearer(authorization, tokens);
    if (!bearer.ok) {
      throw new ApiError(
        {
          code: 'UNAUTHORIZED',
          message: bearer.reason,
          recoverySuggestion: 'Send Authorization: Bearer <token> with a token issued for this server.',
        },
        { 'www-authenticate': 'Bearer realm="netdiag"' },
      );
    }
    const { principal } = bearer;
    if (!accepted.some((s) => principal.scopes.has(s))) {
      throw ApiError.of('FORBIDDEN', `This token lacks the ${named} scope.`, { recoverySuggestion: `Use a token that carries ${named}.` });
    }
    return principal;
  };
}

/** Route middleware: `scopeCheck` on the request's Authorization; the principal goes on `c.var.principal`. */
export function requireScope(tokens: TokenVerifier, scope: Scope | readonly Scope[]): MiddlewareHandler<AppEnv> {
  const check = scopeCheck(tokens, scope);
  return async function requireScopeMiddleware(c, next) {
    c.set('principal', await check(c.req.header('authorization')));
    await next();
  };
}
