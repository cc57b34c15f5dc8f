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

export interface TokenVerifier {
  verify(token: string): Promise<Principal | undefined>;
}

/**
 * Verifies a bearer token by hashing it and comparing against every stored hash in constant time,
 * so neither the token nor the stored hashes leak through timing.
 */
export function createTokenVerifier(records: readonly TokenRecord[], hash: Sha256Hex = sha256Hex): TokenVerifier {
  const principals = records.map((r) => ({
    sha256: r.sha256,
    principal: { id: r.id, scopes: new Set(r.scopes), tools: r.tools ? new Set(r.tools) : undefined } satisfies Principal,
  }));
  return {
    async verify(token: string): Promise<Principal | undefined> {
      if (token.length === 0 || token.length > 512) return undefined;
      const digest = await hash(token);
      let found: Principal | undefined;
      for (const p of principals) if (constantTimeEqual(p.sha256, digest)) found = p.principal;
      return found;
    },
  };
}
