import tls from 'node:tls';
import { errorInfo } from '../../shared/errors/codes';
import { type TlsInspectParams, type TlsInspectResult, TLS_CAPS, tlsInspectTool } from './definition';
import { sanitizeLine } from '../../shared/text/sanitize';
import { type Parsed, defineExecutor } from '../../shared/tool/executor';
import { describeNetError, hostForUrl } from '../common/net-errors';
import { daysUntil, describeChain } from './cert-info';
import { tlsHandshake } from './handshake';

/** Offered so the result shows whether the server speaks HTTP/2; no application data is sent. */
const ALPN_OFFER = ['h2', 'http/1.1'];

type Verification = TlsInspectResult['verification'];

/**
 * "Verified" = what a strict Node client would accept: the chain verifies against the runner's trusted
 * CA store (OpenSSL's verdict, kept even with rejectUnauthorized false) AND the leaf matches the name
 * asked for (the hostname, or the address for an IP target, matched against IP SANs).
 */
function verify(socket: tls.TLSSocket, checkedName: string): Verification {
  const chainError = socket.authorizationError ? sanitizeLine(String(socket.authorizationError), 128) : null;
  const chainVerified = socket.authorized;
  const leaf = socket.getPeerCertificate();
  const nameProblem = leaf.raw ? tls.checkServerIdentity(checkedName, leaf) : new Error('no certificate presented');
  const nameError = nameProblem ? sanitizeLine(nameProblem.message, TLS_CAPS.text) : null;
  return { verified: chainVerified && !nameError, chainVerified, chainError, checkedName, nameMatches: !nameError, nameError };
}

function inspect(
  socket: tls.TLSSocket,
  p: TlsInspectParams,
  serverName: string | null,
  handshakeMs: number,
  t: { target: string; address: string },
): TlsInspectResult {
  const cipher = socket.getCipher();
  const { chain, truncated } = describeChain(socket.getPeerCertificate(true));
  return {
    target: t.target,
    address: t.address,
    port: p.port,
    serverName,
    protocol: socket.getProtocol(),
    cipher: cipher ? { name: cipher.name, standardName: cipher.standardName, version: cipher.version } : null,
    alpnProtocol: typeof socket.alpnProtocol === 'string' ? sanitizeLine(socket.alpnProtocol, 32) : null,
    verification: verify(socket, serverName ?? t.address),
    chain,
    chainTruncated: truncated,
    daysUntilExpiry: daysUntil(chain[0]?.validTo ?? null),
    handshakeMs: Math.round(handshakeMs * 100) / 100,
  };
}

export const tlsInspectExecutor = defineExecutor(tlsInspectTool, {
  kind: 'native',
  async run(p, ctx): Promise<Parsed> {
    const { address, hostname } = ctx.target;
    // SNI only for names: RFC 6066 forbids IP literals in server_name (Node warns, DEP0123), and a
    // server answering an IP connection without SNI shows its default certificate, which is the fact wanted.
    const serverName = hostname ?? null;
    const where = `${hostForUrl(address)}:${p.port}`;
    ctx.report({ progress: 0, total: 1, message: `connecting to ${where}` });
    const h = await tlsHandshake(
      {
        host: address,
        port: p.port,
        ...(serverName ? { servername: serverName } : {}),
        ALPNProtocols: ALPN_OFFER,
        // Inspect, do not judge: untrusted chains are reported in `verification` instead of failing.
        rejectUnauthorized: false,
      },
      ctx.signal,
    );
    if (!h.ok) {
      // When aborted, executeJob turns this into CANCELLED or TIMEOUT; the code here is a placeholder.
      return { ok: false, error: errorInfo(h.aborted ? 'TIMEOUT' : 'EXECUTION_ERROR', describeNetError(h.error, `TLS handshake with ${where} failed`)) };
    }
    try {
      const result = inspect(h.socket, p, serverName, h.handshakeMs, ctx.target);
      ctx.report({ progress: 1, total: 1, message: `handshake done (${result.protocol ?? 'unknown protocol'})` });
      return { ok: true, result };
    } catch (err) {
      return { ok: false, error: errorInfo('EXECUTION_ERROR', describeNetError(err, `could not read the certificate from ${where}`)) };
    } finally {
      h.socket.destroy();
    }
  },
});
