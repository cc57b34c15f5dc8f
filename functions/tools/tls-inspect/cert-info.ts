import { X509Certificate } from 'node:crypto';
import type { DetailedPeerCertificate } from 'node:tls';
import { TLS_CAPS, type TlsCertificateInfo } from './definition';
import { sanitizeLine } from '../../shared/text/sanitize';

const clean = (s: string): string => sanitizeLine(s, TLS_CAPS.text);

/**
 * Split Node's subjectAltName string ("DNS:a, IP Address:10.0.0.1"). Node quotes entries that contain
 * separators (JSON-style, since the CVE-2021-44532 fix), so a comma inside quotes is not a boundary.
 */
export function splitSubjectAltNames(raw: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i] as string;
    if (ch === '\\' && quoted) {
      cur += ch + (raw[i + 1] ?? '');
      i++;
    } else if (ch === '"') {
      quoted = !quoted;
      cur += ch;
    } else if (ch === ',' && !quoted) {
      out.push(cur.trim());
      cur = '';
    } else {
      cur += ch;
    }
  }
  if (cur.trim()) out.push(cur.trim());
  return out.filter((s) => s.length > 0);
}

/** OpenSSL's "Nov 25 20:22:37 2026 GMT" as ISO 8601, or null when it does not parse. */
export function toIso(openssl: string): string | null {
  const t = Date.parse(openssl);
  return Number.isFinite(t) ? new Date(t).toISOString() : null;
}

/** Whole days from now to the expiry; floor, so an expired certificate is negative. */
export function daysUntil(iso: string | null, now = Date.now()): number | null {
  return iso === null ? null : Math.floor((Date.parse(iso) - now) / 86_400_000);
}

// Node prints distinguished names one attribute per line; one line reads better in JSON.
const dn = (s: string): string => clean(s.split('\n').filter(Boolean).join(', '));

function keyFacts(x: X509Certificate, legacyBits: number | undefined): { keyType: string | null; keyBits: number | null } {
  const key = x.publicKey;
  const bits = key.asymmetricKeyDetails?.modulusLength ?? legacyBits ?? null;
  return { keyType: key.asymmetricKeyType ?? null, keyBits: bits };
}

function isSelfSigned(x: X509Certificate): boolean {
  try {
    return x.checkIssued(x) && x.verify(x.publicKey);
  } catch {
    return false;
  }
}

/** Facts about one certificate, every string sanitized and capped: certificate fields can carry anything. */
export function describeCertificate(der: Buffer, legacyBits?: number): TlsCertificateInfo {
  const x = new X509Certificate(der);
  const sans = splitSubjectAltNames(x.subjectAltName ?? '');
  return {
    subject: dn(x.subject),
    issuer: dn(x.issuer),
    subjectAltNames: sans.slice(0, TLS_CAPS.sans).map(clean),
    validFrom: toIso(x.validFrom),
    validTo: toIso(x.validTo),
    serialNumber: clean(x.serialNumber),
    fingerprintSha256: x.fingerprint256,
    selfSigned: isSelfSigned(x),
    isCA: x.ca,
    ...keyFacts(x, legacyBits),
  };
}

/** The presented chain, leaf first, bounded; a self-signed root links to itself, so stop at a repeat. */
export function describeChain(leaf: DetailedPeerCertificate): { chain: TlsCertificateInfo[]; truncated: boolean } {
  const chain: TlsCertificateInfo[] = [];
  const seen = new Set<string>();
  let cur: DetailedPeerCertificate | undefined = leaf;
  while (cur?.raw && !seen.has(cur.fingerprint256)) {
    if (chain.length === TLS_CAPS.chainLength) return { chain, truncated: true };
    seen.add(cur.fingerprint256);
    chain.push(describeCertificate(cur.raw, cur.bits));
    cur = cur.issuerCertificate;
  }
  return { chain, truncated: false };
}
