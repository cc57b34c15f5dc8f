import net from 'node:net';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TlsCertificateInfo, TlsInspectResult } from './definition';
import { makeSelfSignedCert, type TestCert } from '../../../test/helpers/tls-cert';
import { runThroughRunner } from '../../../test/helpers/runner-harness';
import type { Executor } from '../../shared/tool/executor';
import { closeServer, listenLoopback, nativeContext } from '../../../test/helpers/native-test-support';
import { splitSubjectAltNames } from './cert-info';
import { tlsInspectExecutor } from './executor';

const executor = tlsInspectExecutor as unknown as Executor<never>;
const params = (port: number): { target: string; port: number } => ({ target: '127.0.0.1', port });

let cert: TestCert;
let server: tls.Server;
let port: number;
/** Names the server saw in SNI (SNICallback runs during the handshake, before the client's callback). */
const seenServerNames: string[] = [];

beforeAll(async () => {
  cert = makeSelfSignedCert({ validityDays: 30 });
  const SNICallback = (name: string, cb: (err: Error | null, ctx?: tls.SecureContext) => void): void => {
    seenServerNames.push(name);
    cb(null, undefined);
  };
  server = tls.createServer({ cert: cert.cert, key: cert.key, ALPNProtocols: ['h2', 'http/1.1'], SNICallback }, (s) => s.end());
  port = await listenLoopback(server);
});
afterAll(() => closeServer(server));

describe('tls_inspect through the runner (loopback server, self-signed cert)', () => {
  it('reports protocol, cipher, ALPN, chain facts, expiry and a self-signed verification failure', async () => {
    const { outcome } = await runThroughRunner(executor, params(port));
    expect(outcome.status).toBe('succeeded');
    if (outcome.status !== 'succeeded') return;
    const r = outcome.result as TlsInspectResult;
    expect(r).toMatchObject({ address: '127.0.0.1', port, serverName: null, protocol: 'TLSv1.3', alpnProtocol: 'h2', chainTruncated: false });
    expect(r.cipher?.version).toBe('TLSv1.3');
    expect(r.chain).toHaveLength(1);
    const leaf = r.chain[0] as TlsCertificateInfo;
    expect(leaf.subject).toBe('O=Netdiag Test, CN=web.lab.internal');
    expect(leaf.subjectAltNames).toEqual(['DNS:web.lab.internal', 'IP Address:127.0.0.1']);
    expect(leaf.fingerprintSha256).toBe(cert.fingerprint256);
    expect(leaf).toMatchObject({ selfSigned: true, keyType: 'ec', keyBits: 256 });
    expect(Date.parse(leaf.validTo ?? '') - Date.parse(leaf.validFrom ?? '')).toBe(30 * 86_400_000);
    expect(r.daysUntilExpiry).toBeGreaterThanOrEqual(29);
    expect(r.daysUntilExpiry).toBeLessThanOrEqual(30);
    expect(r.verification).toMatchObject({
      verified: false,
      chainVerified: false,
      chainError: 'DEPTH_ZERO_SELF_SIGNED_CERT',
      checkedName: '127.0.0.1',
      nameMatches: true,
    });
    expect(seenServerNames).toEqual([]); // no SNI for an IP target
    expect(tlsInspectExecutor.definition.result.safeParse(r).success).toBe(true);
  });

  it('refuses loopback when the runner does not allow it', async () => {
    const { outcome } = await runThroughRunner(executor, params(port), { env: { MCP_ALLOW_LOOPBACK: 'false' } });
    expect(outcome).toMatchObject({ status: 'failed', error: { code: 'FORBIDDEN_TARGET' } });
  });

  it('reports a refused connection as EXECUTION_ERROR', async () => {
    const probe = net.createServer();
    const closed = await listenLoopback(probe);
    await closeServer(probe);
    const { outcome } = await runThroughRunner(executor, params(closed));
    expect(outcome).toMatchObject({ status: 'failed', error: { code: 'EXECUTION_ERROR' } });
    if (outcome.status === 'failed') expect(outcome.error.message).toMatch(/refused/);
  });

  it('stops promptly when cancelled during a handshake the server never answers', async () => {
    const silent = net.createServer(() => undefined);
    const silentPort = await listenLoopback(silent);
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 150);
    const started = Date.now();
    const { outcome } = await runThroughRunner(executor, params(silentPort), { signal: ac.signal });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(outcome).toMatchObject({ status: 'failed', error: { code: 'CANCELLED' } });
    await closeServer(silent);
  });
});

describe('tls_inspect with a hostname target (pinned address given)', () => {
  const named = (hostname: string) => nativeContext({ target: { target: hostname, address: '127.0.0.1', family: 4, hostname } });

  it('sends the hostname as SNI and matches it against the SANs', async () => {
    const r = await tlsInspectExecutor.run({ target: 'web.lab.internal', port }, named('web.lab.internal'));
    expect(r.ok && r.result).toMatchObject({ serverName: 'web.lab.internal', verification: { nameMatches: true, checkedName: 'web.lab.internal' } });
    expect(seenServerNames.at(-1)).toBe('web.lab.internal');
  });

  it('reports a name mismatch without failing', async () => {
    const r = await tlsInspectExecutor.run({ target: 'db.lab.internal', port }, named('db.lab.internal'));
    expect(r.ok && r.result).toMatchObject({ verification: { verified: false, nameMatches: false } });
  });
});

describe('tls_inspect output hygiene', () => {
  it('sanitizes hostile certificate fields and reports no ALPN when the server offers none', async () => {
    const evil = makeSelfSignedCert({ commonName: 'evil\u202egnp.\u001b[31mred\u0007', sans: 'DNS:evil.lab.internal', validityDays: 1 });
    const plain = tls.createServer({ cert: evil.cert, key: evil.key }, (s) => s.end());
    const plainPort = await listenLoopback(plain);
    const r = await tlsInspectExecutor.run({ target: '127.0.0.1', port: plainPort }, nativeContext());
    await closeServer(plain);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const text = JSON.stringify(r.result);
    // The bidi override was stripped; OpenSSL already prints ESC and BEL in names as inert "\1B", "\07" text.
    expect((r.result['chain'] as TlsCertificateInfo[])[0]?.subject).toBe('O=Netdiag Test, CN=evilgnp.\\1B[31mred\\07');
    expect(text).not.toMatch(/[\u001b\u0007\u202e]/);
    expect(r.result).toMatchObject({ alpnProtocol: null, daysUntilExpiry: 0 });
  });

  it('splits SAN lists without breaking quoted entries', () => {
    expect(splitSubjectAltNames('DNS:a.lab.internal, DNS:"x, y", IP Address:10.0.0.1')).toEqual(['DNS:a.lab.internal', 'DNS:"x, y"', 'IP Address:10.0.0.1']);
  });
});
