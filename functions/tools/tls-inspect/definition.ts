import { z } from 'zod';
import { targetParam, timeoutParam } from '../../shared/tool/common-params';
import { defineTool } from '../../shared/tool/definition';
import { renderTlsInspect } from './render';

/** Caps on what a server can make us return; the executor enforces them, the schema declares them. */
export const TLS_CAPS = {
  chainLength: 10,
  sans: 50,
  /** Characters per string (distinguished names, SAN entries, error text); a cut string ends in '…'. */
  text: 512,
} as const;

// sanitizeText appends '…' after the cap, hence +1.
const text = (what: string): z.ZodString =>
  z
    .string()
    .max(TLS_CAPS.text + 1)
    .describe(what);

const params = z.object({
  target: targetParam('IPv4/IPv6 address or lab hostname of the TLS server (one host). A hostname is sent as SNI.'),
  port: z.number().int().min(1).max(65535).default(443).describe('TCP port of the TLS service (1-65535, default 443).'),
  timeoutSec: timeoutParam(30),
});

const certificate = z.object({
  subject: text('Subject distinguished name, e.g. "O=Example, CN=web.lab.internal".'),
  issuer: text('Issuer distinguished name.'),
  subjectAltNames: z.array(text('One SAN entry, e.g. "DNS:web.lab.internal" or "IP Address:10.0.0.5".')).max(TLS_CAPS.sans),
  validFrom: z.string().nullable().describe('Start of validity, ISO 8601 (null when unreadable).'),
  validTo: z.string().nullable().describe('End of validity, ISO 8601 (null when unreadable).'),
  serialNumber: z.string().max(TLS_CAPS.text + 1),
  fingerprintSha256: z.string().max(100).describe('SHA-256 of the DER certificate, colon-separated hex (as openssl prints it).'),
  selfSigned: z.boolean().describe('Issuer equals subject and the signature verifies with its own key.'),
  isCA: z.boolean(),
  keyType: z.string().max(32).nullable().describe('Public key algorithm: rsa, ec, ed25519, ...'),
  keyBits: z.number().int().nullable().describe('RSA modulus bits or EC curve size.'),
});

const result = z.object({
  target: z.string().describe('The target as given.'),
  address: z.string().describe('The address connected to (hostnames are resolved once and pinned).'),
  port: z.number().int(),
  serverName: z.string().nullable().describe('SNI sent: the hostname when one was given; null for an IP target (SNI may not carry IP literals).'),
  protocol: z.string().max(32).nullable().describe('Negotiated TLS version, e.g. TLSv1.3.'),
  cipher: z.object({ name: z.string().max(128), standardName: z.string().max(128), version: z.string().max(32) }).nullable(),
  alpnProtocol: z.string().max(64).nullable().describe('ALPN protocol the server chose from the offer (h2, http/1.1); null when it chose none.'),
  verification: z
    .object({
      verified: z.boolean().describe('chainVerified and nameMatches both true: what a strict client would accept.'),
      chainVerified: z.boolean().describe("The chain verifies against the runner's trusted CA store."),
      chainError: z.string().max(128).nullable().describe('OpenSSL verification code when it does not, e.g. DEPTH_ZERO_SELF_SIGNED_CERT, CERT_HAS_EXPIRED.'),
      checkedName: z.string().describe('Name (or address) the leaf was matched against.'),
      nameMatches: z.boolean(),
      nameError: text('Why the name does not match, when it does not.').nullable(),
    })
    .describe('The handshake never fails on an untrusted certificate; this says whether it would have.'),
  chain: z.array(certificate).max(TLS_CAPS.chainLength).describe('Certificates the server presented, leaf first.'),
  chainTruncated: z.boolean().describe(`True when the chain was longer than ${TLS_CAPS.chainLength} and cut.`),
  daysUntilExpiry: z.number().int().nullable().describe('Whole days until the leaf expires; negative once it has expired.'),
  handshakeMs: z.number().describe('TCP connect plus TLS handshake, in milliseconds.'),
});

export const tlsInspectTool = defineTool({
  name: 'tls_inspect',
  title: 'Inspect a TLS server certificate',
  description:
    'Open a TLS connection to one host and port and report what the server presents: TLS version, cipher, ALPN protocol (h2 or http/1.1 offered), ' +
    'the certificate chain (subject, issuer, SANs, validity dates, serial, SHA-256 fingerprint, self-signed), days until the leaf certificate expires, ' +
    'and whether the chain and name would pass strict verification (and why not). Untrusted or expired certificates are reported, not refused. ' +
    'Use it to check certificate expiry, hostname mismatches, self-signed or incomplete chains. No HTTP request is sent; use http_probe for that.',
  params,
  result,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  policy: {
    binary: null,
    debianPackage: null,
    targetField: 'target',
    allowCidr: false,
    defaultTimeoutSec: 10,
    maxTimeoutSec: 30,
    weight: 'light',
  },
  render: renderTlsInspect,
});

export type TlsInspectParams = z.output<typeof params>;
export type TlsInspectResult = z.output<typeof result>;
export type TlsCertificateInfo = z.output<typeof certificate>;
