/**
 * HTTPS for the Node entry (docs/security.md, "Service"): certificate and key from MCP_TLS_CERT_FILE and
 * MCP_TLS_KEY_FILE, re-read on SIGHUP into the running server (setSecureContext: open connections keep theirs,
 * new handshakes get the new one), and the runner client certificates of MCP_RUNNER_CLIENT_CA_FILE.
 */
import { readFileSync } from 'node:fs';
import type { Server as HttpsServer, ServerOptions } from 'node:https';
import { type SecureContextOptions, TLSSocket, createSecureContext } from 'node:tls';
import type { RunnerCertificate } from '../src/auth/runner-certificate';
import { ConfigError } from '../shared/config/env-schema';
import type { Logger } from '../shared/logger';
import type { NodeSettings } from './node-env';

type TlsSettings = NonNullable<NodeSettings['tls']>;

function readSetting(setting: string, path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(`${setting}: cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
}

/** The files as a secure context's options, checked (key matches certificate, PEM parses) before use. */
export function readTlsContext(tls: TlsSettings): SecureContextOptions {
  const options: SecureContextOptions = {
    cert: readSetting('MCP_TLS_CERT_FILE', tls.certFile),
    key: readSetting('MCP_TLS_KEY_FILE', tls.keyFile),
    ...(tls.runnerClientCaFile ? { ca: readSetting('MCP_RUNNER_CLIENT_CA_FILE', tls.runnerClientCaFile) } : {}),
  };
  try {
    createSecureContext(options);
  } catch (err) {
    throw new ConfigError(`MCP_TLS_CERT_FILE/MCP_TLS_KEY_FILE: ${(err as Error).message}`);
  }
  return options;
}

/**
 * Server options. With runner mTLS the server asks every client for a certificate but lets the handshake finish
 * without one (browsers, the shim): the runner routes refuse such requests (src/auth/runner-certificate.ts).
 */
export function tlsServerOptions(tls: TlsSettings): ServerOptions {
  return { ...readTlsContext(tls), ...(tls.runnerClientCaFile ? { requestCert: true, rejectUnauthorized: false } : {}) };
}

/**
 * SIGHUP: re-read the files into the running server; a bad file is logged and the old certificate stays. Without a
 * certificate there is nothing to reload, but the signal is still handled: Node's default for SIGHUP ends the
 * process, and a plain-HTTP API must not die because an operator (or a closing terminal) sent it.
 */
export function reloadOnSighup(server: HttpsServer | undefined, tls: TlsSettings | undefined, logger: Logger): void {
  if (!server || !tls) {
    process.on('SIGHUP', () => logger.info({}, 'SIGHUP ignored: no TLS certificate to reload (MCP_TLS_CERT_FILE is not set); other settings need a restart'));
    return;
  }
  process.on('SIGHUP', () => {
    try {
      server.setSecureContext(readTlsContext(tls));
      logger.info({ cert: tls.certFile }, 'TLS certificate reloaded');
    } catch (err) {
      logger.error({ err: (err as Error).message }, 'TLS certificate not reloaded; the previous one stays in use');
    }
  });
}

const RUNNER_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** The runner a connection's client certificate names (its CN), if the certificate was verified against the CA. */
export function runnerCertificateOf(socket: unknown): RunnerCertificate {
  if (!(socket instanceof TLSSocket)) return { ok: false, reason: 'the connection is not TLS' };
  const peer = socket.getPeerCertificate();
  if (!peer || Object.keys(peer).length === 0) return { ok: false, reason: 'no client certificate was presented' };
  if (!socket.authorized) return { ok: false, reason: `the client certificate was not accepted (${String(socket.authorizationError)})` };
  const cn = peer.subject?.CN;
  if (typeof cn !== 'string' || !RUNNER_ID.test(cn)) return { ok: false, reason: "the client certificate's CN is not a runner id" };
  return { ok: true, runnerId: cn };
}
