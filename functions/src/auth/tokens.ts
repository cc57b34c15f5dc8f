import { z } from 'zod';
import { type Principal, SCOPES } from './scopes';

/** A stored token: only its SHA-256 is kept. */
export const TokenRecordSchema = z.object({
  id: z.string().min(1).max(64),
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'sha256 must be 64 lower-case hex digits'),
  scopes: z.array(z.enum(SCOPES)).min(1),
  tools: z.array(z.string()).optional(),
});
export type TokenRecord = z.infer<typeof TokenRecordSchema>;

/** SHA-256 as lower-case hex; entries may inject a synchronous one (node:crypto) to skip WebCrypto's async hop. */
export type Sha256Hex = (text: string) => string | Promise<string>;

export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** Compare two equal-length hex strings without an early exit. */
function constantTimeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i += 1) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

/**
 * Compare a presented token with a known one: the time depends only on the presented token's length (no early exit,
 * not even on a length mismatch), so it tells nothing about the known token.
 */
function sameToken(presented: string, known: string): boolean {
  let diff = presented.length ^ known.length;
  for (let i = 0; i < presented.length; i += 1) diff |= presented.charCodeAt(i) ^ (known.charCodeAt(i) | 0);
  return diff === 0;
}

export interface TokenVerifier {
  verify(token: string): Promise<Principal | undefined>;
}

/**
 * Verifies a bearer token by hashing it and comparing against every stored hash in constant time,
 * so neither the token nor the stored hashes leak through timing.
 *
 * A token that matched is remembered (at most one per record: only a token whose hash matched is kept) and later
 * requests presenting it are recognised by comparing it with each remembered token in constant time, skipping the
 * SHA-256: a cold hash was ~0.05 ms of each request's path on a small VM (issue 12). A token that never matched is
 * never remembered, so it goes through the hash every time and is refused as before. The records are fixed for the
 * verifier's life (the API reads them at start; a changed token list means a restart and a new verifier), so a
 * remembered token cannot outlive its record.
 */
export function createTokenVerifier(records: readonly TokenRecord[], hash: Sha256Hex = sha256Hex): TokenVerifier {
  const principals = records.map((r) => ({
    sha256: r.sha256,
    principal: { id: r.id, scopes: new Set(r.scopes), tools: r.tools ? new Set(r.tools) : undefined } satisfies Principal,
  }));
  const remembered: Array<{ token: string; principal: Principal }> = [];
  return {
    async verify(token: string): Promise<Principal | undefined> {
      if (token.length === 0 || token.length > 512) return undefined;
      let known: Principal | undefined;
      for (const r of remembered) if (sameToken(token, r.token)) known = r.principal;
      if (known) return known;
      const digest = await hash(token);
      let found: Principal | undefined;
      for (const p of principals) if (constantTimeEqual(p.sha256, digest)) found = p.principal;
      // A concurrent first request may have remembered it meanwhile; the token matched, so this comparison leaks nothing.
      if (found && remembered.length < principals.length && !remembered.some((r) => r.token === token)) remembered.push({ token, principal: found });
      return found;
    },
  };
}
