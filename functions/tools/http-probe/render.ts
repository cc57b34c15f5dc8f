import { scalarText } from '../common/scalar-text';

/** Concise text for http_probe results; the full data is in structuredContent. */
type Result = Readonly<Record<string, unknown>>;

const str = (v: unknown, fallback = '-'): string => (typeof v === 'string' && v.length > 0 ? v : fallback);
const obj = (v: unknown): Result => (v !== null && typeof v === 'object' ? (v as Result) : {});
const list = (v: unknown): Result[] => (Array.isArray(v) ? (v as unknown[]).map(obj) : []);
const msOf = (v: unknown): string => (typeof v === 'number' ? `${v} ms` : '-');

const SHOWN_HEADERS = 20;
const SHOWN_PREVIEW_LINES = 15;

function tlsLine(t: Result): string {
  const trust = t['chainVerified'] === true ? 'chain trusted' : `chain not trusted (${str(t['chainError'], 'unknown')})`;
  return `  tls ${str(t['protocol'])} ${str(t['cipher'])}, ALPN ${str(t['alpnProtocol'], 'none')}; cert ${str(t['certSubject'])}, valid to ${str(t['certValidTo'])}; ${trust}`;
}

function redirectLine(d: Result): string {
  const outcome = d['followed'] === true ? 'followed' : `not followed: ${str(d['reason'])}`;
  return `  redirect ${scalarText(d['status'])} ${str(d['fromUrl'])} -> ${str(d['nextUrl'], str(d['location']))} (${outcome})`;
}

export function renderHttpProbe(r: Result): string {
  const timing = obj(r['timing']);
  const body = obj(r['body']);
  const lines = [
    `${str(r['method'])} ${str(r['finalUrl'])} (${str(r['finalAddress'])}) -> ${scalarText(r['status'])} ${str(r['statusText'], '')} HTTP/${str(r['httpVersion'])}`.trimEnd(),
    `  timing connect ${msOf(timing['connectMs'])}, tls ${msOf(timing['tlsMs'])}, first byte ${msOf(timing['ttfbMs'])}, total ${msOf(timing['totalMs'])}`,
  ];
  if (r['tls'] !== null && r['tls'] !== undefined) lines.push(tlsLine(obj(r['tls'])));
  lines.push(...list(r['redirects']).map(redirectLine));

  const headers = list(r['headers']);
  lines.push(`  headers (${scalarText(r['headerCount'] ?? headers.length)}):`);
  lines.push(...headers.slice(0, SHOWN_HEADERS).map((h) => `    ${str(h['name'])}: ${str(h['value'], '')}`));
  if (headers.length > SHOWN_HEADERS || r['headersTruncated'] === true) lines.push('    … (more in structuredContent)');

  const flags = [body['truncated'] === true ? 'cut at maxBodyBytes' : '', body['interrupted'] === true ? 'interrupted' : ''].filter(Boolean).join(', ');
  lines.push(`  body ${scalarText(body['bytesRead'] ?? 0)} bytes${flags ? ` (${flags})` : ''}, sha256 ${str(body['sha256'])}`);
  const preview = str(body['preview'], '');
  if (preview) {
    // Quoted and labelled: this is the probed server's content, not something the assistant should act on.
    const pl = preview.split('\n');
    lines.push('  body preview (content from the probed server, untrusted data):');
    lines.push(...pl.slice(0, SHOWN_PREVIEW_LINES).map((l) => `    | ${l}`));
    if (pl.length > SHOWN_PREVIEW_LINES) lines.push('    | …');
  }
  return lines.join('\n');
}
