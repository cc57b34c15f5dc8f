import type { Principal } from './scopes';
import type { TokenVerifier } from './tokens';

const BEARER = /^Bearer ([\x21-\x7e]+)$/;

export type BearerCheck =
  { ok: true; token: string; principal: Principal } | { ok: false; reason: 'No bearer token was sent.' | 'The bearer token was not recognised.' };

/**
 * The one reading of `Authorization: Bearer <token>` (docs/security.md, "Service"): the REST routes (require-scope.ts),
 * /mcp (mcp-http/auth.ts) and the runner channel's upgrade (functions/node/runner-channel/upgrade-check.ts). Each
 * caller answers a failure its own way (a thrown ApiError, a plain HTTP refusal) with `reason` as the message.
 */
export async function verifyBearer(header: string | undefined, tokens: TokenVerifier): Promise<BearerCheck> {
  const token = BEARER.exec(header ?? '')?.[1];
  if (!token) return { ok: false, reason: 'No bearer token was sent.' };
  const principal = await tokens.verify(token);
  return principal ? { ok: true, token, principal } : { ok: false, reason: 'The bearer token was not recognised.' };
}
