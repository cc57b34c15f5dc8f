import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const OPENSSL = '/usr/bin/openssl';

export interface TestCert {
  /** PEM certificate and key, for tls.createServer / https.createServer. */
  cert: string;
  key: string;
  /** SHA-256 fingerprint as openssl prints it: upper-case hex pairs joined by ':'. */
  fingerprint256: string;
  validityDays: number;
  commonName: string;
}

/**
 * A fresh self-signed certificate, generated at test time so no key material lives in the repo.
 * EC P-256 keeps generation fast on a shared machine; the validity is short so expiry-days is checkable.
 */
export function makeSelfSignedCert(options: { commonName?: string; validityDays?: number; sans?: string } = {}): TestCert {
  const commonName = options.commonName ?? 'web.lab.internal';
  const validityDays = options.validityDays ?? 30;
  const sans = options.sans ?? `DNS:${commonName},IP:127.0.0.1`;
  const dir = mkdtempSync(join(tmpdir(), 'netdiag-cert-'));
  try {
    const keyFile = join(dir, 'key.pem');
    const certFile = join(dir, 'cert.pem');
    // argv array, no shell: nothing here is interpreted.
    execFileSync(
      OPENSSL,
      [
        'req',
        '-x509',
        '-utf8',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        keyFile,
        '-out',
        certFile,
        '-days',
        String(validityDays),
        '-subj',
        `/O=Netdiag Test/CN=${commonName}`,
        '-addext',
        `subjectAltName=${sans}`,
      ],
      { stdio: 'pipe' },
    );
    const fp = execFileSync(OPENSSL, ['x509', '-in', certFile, '-noout', '-fingerprint', '-sha256'], { encoding: 'utf8' });
    const fingerprint256 = fp.trim().replace(/^.*=/, '');
    return { cert: readFileSync(certFile, 'utf8'), key: readFileSync(keyFile, 'utf8'), fingerprint256, validityDays, commonName };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
