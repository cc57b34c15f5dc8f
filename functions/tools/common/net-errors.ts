import { sanitizeLine } from '../../shared/text/sanitize';

const KNOWN: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused (nothing listening, or a firewall rejected it)',
  ECONNRESET: 'connection reset by the peer',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  EPIPE: 'connection closed while sending',
  HPE_HEADER_OVERFLOW: 'response headers larger than the 16 KiB limit',
};

/**
 * One line for a socket/TLS/HTTP failure: a plain reason first, then the code. Error text can echo
 * server bytes (parser errors, TLS alerts), so it is sanitized like any other output.
 */
export function describeNetError(err: unknown, where: string): string {
  const e = err as NodeJS.ErrnoException;
  const code = typeof e.code === 'string' ? e.code : undefined;
  const reason = (code && KNOWN[code]) ?? (e instanceof Error ? e.message : String(err));
  return sanitizeLine(`${where}: ${reason}${code ? ` (${code})` : ''}`, 300);
}

/** Host form for URLs and Host headers: IPv6 literals need brackets. */
export const hostForUrl = (host: string): string => (host.includes(':') ? `[${host}]` : host);
