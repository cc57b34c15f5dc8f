import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import { sanitizeLine } from '../../shared/text/sanitize';

/**
 * Addresses in traceroute/mtr output come from routers on the path: keep a token only when it is an IP
 * literal (both tools run with DNS off, so anything else is not an address), and cap it anyway.
 * sanitizeLine appends "…" past its limit, so limit - 1 keeps the result within the schema's max.
 */
export function hopAddress(token: string, maxChars: number): string | null {
  return isIP(token) === 0 ? null : sanitizeLine(token, maxChars);
}

/** Same address whatever the spelling (IPv6 may be compressed differently by the binary and the pinning). */
export function sameAddress(a: string | null, b: string): boolean {
  if (a === null || isIP(a) === 0 || isIP(b) === 0) return false;
  try {
    const x = ipaddr.parse(a);
    const y = ipaddr.parse(b);
    return x.kind() === y.kind() && x.toNormalizedString() === y.toNormalizedString();
  } catch {
    return false;
  }
}

/** The first stderr line, sanitized: what a failed run reports to the caller. */
export function firstStderrLine(stderr: string, exitCode: number | null): string {
  const line = stderr.split('\n').find((l) => l.trim().length > 0) ?? '';
  return sanitizeLine(line.trim(), 300) || `exit code ${String(exitCode)}`;
}
