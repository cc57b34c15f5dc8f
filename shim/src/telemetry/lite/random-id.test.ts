import { describe, expect, it } from 'vitest';
import { randomHex } from './random-id';

describe('randomHex', () => {
  it('gives lower-case hex ids of the asked length, all different, across refills of its pool', () => {
    const ids = Array.from({ length: 2000 }, (_, i) => randomHex(i % 2 === 0 ? 16 : 8));
    for (const [i, id] of ids.entries()) expect(id).toMatch(i % 2 === 0 ? /^[0-9a-f]{32}$/ : /^[0-9a-f]{16}$/);
    expect(new Set(ids).size).toBe(ids.length);
    // 24 000 bytes drawn: the 4 KiB pool was refilled several times, and the bytes still look uniform.
    const counts = new Map<string, number>();
    for (const c of ids.join('')) counts.set(c, (counts.get(c) ?? 0) + 1);
    expect(counts.size).toBe(16);
    for (const n of counts.values()) expect(n).toBeGreaterThan(2000);
  });
});
