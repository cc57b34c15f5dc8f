import { scalarText } from '../common/scalar-text';

/** Concise text for tls_inspect results; the full data is in structuredContent. */
type Result = Readonly<Record<string, unknown>>;

const str = (v: unknown, fallback = '-'): string => (typeof v === 'string' && v.length > 0 ? v : fallback);
const obj = (v: unknown): Result => (v !== null && typeof v === 'object' ? (v as Result) : {});

function expiry(days: unknown): string {
  if (typeof days !== 'number') return 'expiry unknown';
  return days < 0 ? `EXPIRED ${-days} day(s) ago` : `expires in ${days} day(s)`;
}

function verification(v: Result): string {
  if (v['verified'] === true) return 'verified (chain trusted, name matches)';
  const problems: string[] = [];
  if (v['chainVerified'] !== true) problems.push(`chain not trusted: ${str(v['chainError'], 'unknown reason')}`);
  if (v['nameMatches'] !== true) problems.push(`name ${str(v['checkedName'])} does not match`);
  return `NOT verified (${problems.join('; ')})`;
}

export function renderTlsInspect(r: Result): string {
  const cipher = obj(r['cipher']);
  const chain = Array.isArray(r['chain']) ? (r['chain'] as unknown[]).map(obj) : [];
  const sni = typeof r['serverName'] === 'string' ? `SNI ${r['serverName']}` : 'no SNI';
  const lines = [
    `tls ${str(r['target'])} (${str(r['address'])}:${scalarText(r['port'])}, ${sni}): ${str(r['protocol'])} ${str(cipher['standardName'])}, ALPN ${str(r['alpnProtocol'], 'none')}, handshake ${scalarText(r['handshakeMs'])} ms`,
    `leaf ${expiry(r['daysUntilExpiry'])}; ${verification(obj(r['verification']))}`,
  ];
  chain.forEach((c, i) => {
    const sans = Array.isArray(c['subjectAltNames']) ? (c['subjectAltNames'] as unknown[]).map((s) => str(s)) : [];
    lines.push(`  [${i}] ${str(c['subject'])}${c['selfSigned'] === true ? ' (self-signed)' : ''}`);
    lines.push(`      issuer ${str(c['issuer'])}; valid ${str(c['validFrom'])} .. ${str(c['validTo'])}`);
    if (sans.length > 0) lines.push(`      SAN ${sans.slice(0, 10).join(', ')}${sans.length > 10 ? `, … (${sans.length} in all)` : ''}`);
    lines.push(`      sha256 ${str(c['fingerprintSha256'])}`);
  });
  if (r['chainTruncated'] === true) lines.push('  (chain cut at the cap)');
  return lines.join('\n');
}
