import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app-env';
import { ApiError } from '../errors/api-error';
import { verifyBearer } from './bearer';
import type { Scope } from './scopes';
import type { TokenVerifier } from './tokens';

/** Route middleware: a valid bearer token (401 otherwise) that carries `scope`, or one of a list of scopes (403 otherwise). */
export function requireScope(tokens: TokenVerifier, scope: Scope | readonly Scope[]): MiddlewareHandler<AppEnv> {
  const accepted: readonly Scope[] = typeof scope === 'string' ? [scope] : scope;
  const named = accepted.map((s) => `"${s}"`).join(' or ');
  return async function requireScopeMiddleware(c, next) {
    const bearer = await verifyBearer(c.req.header('authorization'), tokens);
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
    c.set('principal', principal);
    await next();
  };
}
