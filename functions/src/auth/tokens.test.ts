import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { type TokenRecord, createTokenVerifier, sha256Hex } from './tokens';

const sha256 = (t: string): string => createHash('sha256').update(t).digest('hex');
const CLIENT = 'nd_client-token-value-aaaaaaaaaaaaaaaa';
const RUNNER = 'nd_runner-token-value-bbbbbbbbbbbbbbbb';
const records: TokenRecord[] = [
  { id: 'client', sha256: sha256(CLIENT), scopes: ['tools:read', 'tools:run'] },
  { id: 'runner', sha256: sha256(RUNNER), scopes: ['runner'] },
];

/** A verifier whose hash calls are counted. */
function counted(list: readonly TokenRecord[]) {
  const hashed: string[] = [];
  const verifier = createTokenVerifier(list, (t) => {
    hashed.push(t);
    return sha256(t);
  });
  return { verifier, hashed };
}

/** Near misses of a token: each differs from it in one way. */
const nearMisses = (t: string): string[] => [
  t.slice(0, -1),
  `${t}x`,
  `${t.slice(0, -1)}${t.endsWith('a') ? 'b' : 'a'}`,
  `x${t.slice(1)}`,
  t.toUpperCase(),
  `${t}\u0000`,
  t.slice(1),
];

describe('createTokenVerifier', () => {
  it('accepts each token with its own principal, again and again', async () => {
    const { verifier } = counted(records);
    for (let i = 0; i < 3; i += 1) {
      expect((await verifier.verify(CLIENT))?.id).toBe('client');
      expect((await verifier.verify(RUNNER))?.id).toBe('runner');
    }
    expect([...((await verifier.verify(CLIENT))?.scopes ?? [])]).toEqual(['tools:read', 'tools:run']);
  });

  it('hashes a recognised token once, then recognises it without hashing', async () => {
    const { verifier, hashed } = counted(records);
    await verifier.verify(CLIENT);
    await verifier.verify(CLIENT);
    await verifier.verify(RUNNER);
    await verifier.verify(CLIENT);
    expect(hashed).toEqual([CLIENT, RUNNER]);
  });

  it('never accepts a wrong token, before or after the right one was recognised', async () => {
    const { verifier, hashed } = counted(records);
    for (const miss of nearMisses(CLIENT)) expect(await verifier.verify(miss)).toBeUndefined();
    expect((await verifier.verify(CLIENT))?.id).toBe('client');
    for (const miss of [...nearMisses(CLIENT), ...nearMisses(RUNNER), '', 'x'.repeat(513)]) expect(await verifier.verify(miss)).toBeUndefined();
    // Wrong tokens are never remembered: each one is hashed every time it comes (empty and oversized ones are not hashed at all).
    const before = hashed.length;
    expect(await verifier.verify(`${CLIENT}x`)).toBeUndefined();
    expect(await verifier.verify(`${CLIENT}x`)).toBeUndefined();
    expect(hashed.length).toBe(before + 2);
  });

  it('refuses a revoked or rotated token at once: a new token list is a new verifier, with nothing remembered', async () => {
    const before = counted(records);
    expect((await before.verifier.verify(CLIENT))?.id).toBe('client');
    const ROTATED = 'nd_client-token-value-rotated-cccccccc';
    const after = counted([{ ...records[0]!, sha256: sha256(ROTATED) }, records[1]!]);
    expect(await after.verifier.verify(CLIENT)).toBeUndefined();
    expect((await after.verifier.verify(ROTATED))?.id).toBe('client');
    const revoked = counted([records[1]!]);
    expect(await revoked.verifier.verify(CLIENT)).toBeUndefined();
    expect((await revoked.verifier.verify(RUNNER))?.id).toBe('runner');
  });

  it('answers concurrent first requests alike and remembers a token once', async () => {
    const { verifier, hashed } = counted(records);
    const first = await Promise.all([verifier.verify(CLIENT), verifier.verify(CLIENT), verifier.verify(RUNNER)]);
    expect(first.map((p) => p?.id)).toEqual(['client', 'client', 'runner']);
    // Both tokens are remembered although two of the first three requests carried the same one.
    hashed.length = 0;
    expect((await verifier.verify(RUNNER))?.id).toBe('runner');
    expect((await verifier.verify(CLIENT))?.id).toBe('client');
    expect(hashed).toEqual([]);
  });

  it('works with the WebCrypto hash (Workers) as well', async () => {
    const verifier = createTokenVerifier(records, sha256Hex);
    expect((await verifier.verify(CLIENT))?.id).toBe('client');
    expect((await verifier.verify(CLIENT))?.id).toBe('client');
    expect(await verifier.verify(`${CLIENT}x`)).toBeUndefined();
  });
});
