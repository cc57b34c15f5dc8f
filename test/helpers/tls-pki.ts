import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const OPENSSL = '/usr/bin/openssl';
const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

export interface IssuedCert {
  certFile: string;
  keyFile: string;
}

export interface TestCa {
  /** The CA certificate (PEM file): NETDIAG_CA_FILE or MCP_RUNNER_CLIENT_CA_FILE. */
  caFile: string;
  /**
   * A leaf signed by this CA. `sans` as openssl writes them (default IP:127.0.0.1); `days` -1 makes it expired;
   * `usage` serverAuth (the API) or clientAuth (a runner, CN = runner id).
   */
  issue(name: string, options?: { cn?: string; sans?: string; days?: number; usage?: 'serverAuth' | 'clientAuth' }): IssuedCert;
}

/** A throw-away PKI made at test time with openssl (no key material in the repository); remove() deletes it. */
export function makeTestPki(): { ca(name: string): TestCa; dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'netdiag-pki-'));
  // argv arrays, no shell.
  const run = (args: string[]): void => void execFileSync(OPENSSL, args, { stdio: 'pipe' });
  const ca = (name: string): TestCa => {
    const caFile = join(dir, `${name}-ca.pem`);
    const caKey = join(dir, `${name}-ca.key`);
    run([
      'req',
      '-x509',
      ...EC,
      '-keyout',
      caKey,
      '-out',
      caFile,
      '-days',
      '2',
      '-subj',
      `/O=Netdiag Test/CN=${name} CA`,
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    ]);
    return {
      caFile,
      issue(leaf, options = {}) {
        const certFile = join(dir, `${leaf}.pem`);
        const keyFile = join(dir, `${leaf}.key`);
        const csr = join(dir, `${leaf}.csr`);
        const ext = join(dir, `${leaf}.ext`);
        writeFileSync(ext, `subjectAltName=${options.sans ?? 'IP:127.0.0.1'}\nextendedKeyUsage=${options.usage ?? 'serverAuth'}\n`);
        run(['req', '-new', ...EC, '-keyout', keyFile, '-out', csr, '-subj', `/O=Netdiag Test/CN=${options.cn ?? leaf}`]);
        run([
          'x509',
          '-req',
          '-in',
          csr,
          '-CA',
          caFile,
          '-CAkey',
          caKey,
          '-CAcreateserial',
          '-out',
          certFile,
          '-days',
          String(options.days ?? 2),
          '-extfile',
          ext,
        ]);
        return { certFile, keyFile };
      },
    };
  };
  return { ca, dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
