import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app-env';
import { ApiError } from '../errors/api-error';
import type { Scope } from './scopes';
import type { TokenVerifier } from './tokens';

const BEARER = /^Bearer ([\x21-\x7e]+)$/;

/** Route middleware: a valid bearer token (401 otherwise) that carries `scope` (403 otherwise). */
export function requireScope(tokens: TokenVerifier, scope: Scope): MiddlewareHandler<AppEnv> {
  return async function requireScopeMiddleware(c, next) {
    const match = BEARER.exec(c.req.header('authorization') ?? '');
    const principal = match?.[1] ? await tokens.verify(match[1]) : undefined;
    if (!principal) {
      throw new ApiError(
        { code: 'UNAUTHORIZED', message: match ? 'The bearer token was not recognised.' : 'No bearer token was sent.', recoverySuggestion: 'Send Authorization: Bearer <token> with a token issued for this server.' },
        { 'www-authenticate': 'Bearer realm="netdiag"' },
      );
    }
    if (!principal.scopes.has(scope)) {
      throw ApiError.of('FORBIDDEN', `This token lacks the "${scope}" scope.`, { recoverySuggestion: `Use a token that carries "${scope}".` });
    }
    c.set('principal', principal);
    await next();
  };
}
