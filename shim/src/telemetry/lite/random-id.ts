/**
 * Random W3C trace and span ids for the lite tracer. The bytes come from crypto.getRandomValues, drawn from a pool
 * refilled 4 KiB at a time: one call per ~170 spans instead of one per id, which cost the traced shim ~60 µs of CPU
 * per tools/call (three ids, each a trip through WebCrypto's argument checks; issue 12). The ids stay
 * cryptographically random; they are not secrets, only unique.
 */
const POOL = new Uint8Array(4096);
let next = POOL.length;
const HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));

/** `bytes` random bytes as lower-case hex; never all zeros (an invalid id), the last byte then 01. */
export function randomHex(bytes: number): string {
  if (next + bytes > POOL.length) {
    crypto.getRandomValues(POOL);
    next = 0;
  }
  let hex = '';
  let zero = true;
  for (let i = next; i < next + bytes; i += 1) {
    const b = POOL[i] ?? 0;
    if (b !== 0) zero = false;
    hex += HEX[b];
  }
  next += bytes;
  return zero ? `${hex.slice(0, -2)}01` : hex;
}
