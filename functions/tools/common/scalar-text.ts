/**
 * Text for one value of a result that arrived over the wire: only strings, numbers and booleans are printed; anything
 * else (an object, possibly with a hostile `toString`) becomes `fallback`, so rendering untrusted output never throws
 * (docs/security.md: output from scanned hosts is untrusted).
 */
export function scalarText(v: unknown, fallback = '-'): string {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : fallback;
}
