import { createHash } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpProbeResult } from './definition';
import { runThroughRunner } from '../../../test/helpers/runner-harness';
import { makeSelfSignedCert } from '../../../test/helpers/tls-cert';
import type { Executor } from '../../shared/tool/executor';
import { httpProbeExecutor } from './executor';
import { closeServer, listenLoopback, nativeContext } from '../../../test/helpers/native-test-support';

const executor = httpProbeExecutor as unknown as Executor<never>;
const BIG = Buffer.alloc(200_000, 'x');
const sha256 = (b: Buffer | string): string => createHash('sha256').update(b).digest('hex');

let web: http.Server; // the main test server
let other: http.Server; // a second loopback port, the redirect destination
let tlsWeb: https.Server;
let port: number;
let otherPort: number;
let tlsPort: number;
const seen: { host?: string | undefined; sni?: string | false } = {};
let slowSocketClosed: Promise<void> = new Promise(() => undefined);

const routes = (req: http.IncomingMessage, res: http.ServerResponse): void => {
  seen.host = req.headers.host;
  const path = req.url?.split('?')[0];
  if (path === '/hello') res.writeHead(200, { 'X-Test': 'yes', 'Content-Type': 'text/plain' }).end('hello world');
  else if (path === '/big') res.writeHead(200).end(BIG);
  else if (path === '/away') res.writeHead(302, { Location: `http://127.0.0.1:${otherPort}/landed` }).end();
  else if (path === '/relative') res.writeHead(301, { Location: '/hello?from=relative' }).end();
  else if (path === '/nowhere') res.writeHead(302, { Location: `http://0.0.0.0:${port}/hello` }).end();
  else if (path === '/cut') res.writeHead(200, { 'Content-Length': '100' }).write('only ten..', () => res.destroy());
  else if (path === '/slow') {
    slowSocketClosed = new Promise((resolve) => req.socket.once('close', () => resolve()));
    res.writeHead(200).write('first part, then nothing');
  } else res.writeHead(404, 'Not Found').end('no such page');
};

beforeAll(async () => {
  const cert = makeSelfSignedCert({ validityDays: 10 });
  web = http.createServer(routes);
  other = http.createServer((_req, res) => res.writeHead(200).end('landed'));
  tlsWeb = https.createServer({ cert: cert.cert, key: cert.key, ALPNProtocols: ['http/1.1'] }, (req, res) => {
    seen.sni = (req.socket as TLSSocket & { servername: string | false }).servername;
    routes(req, res);
  });
  [port, otherPort, tlsPort] = await Promise.all([listenLoopback(web), listenLoopback(other), listenLoopback(tlsWeb)]);
});
afterAll(() => Promise.all([closeServer(web), closeServer(other), closeServer(tlsWeb)]));

async function probe(params: Record<string, unknown>, env: Record<string, string> = {}): Promise<HttpProbeResult> {
  const { outcome } = await runThroughRunner(executor, { target: '127.0.0.1', scheme: 'http', port, ...params }, { env });
  if (outcome.status !== 'succeeded') throw new Error(`probe failed: ${JSON.stringify(outcome)}`);
  expect(httpProbeExecutor.definition.result.safeParse(outcome.result).success).toBe(true);
  return outcome.result as HttpProbeResult;
}

describe('http_probe through the runner (loopback servers)', () => {
  it('reports status, headers, timing and a hashed body preview', async () => {
    const r = await probe({ path: '/hello' });
    expect(r).toMatchObject({ status: 200, statusText: 'OK', httpVersion: '1.1', url: `http://127.0.0.1:${port}/hello`, tls: null, redirects: [] });
    expect(r.headers).toContainEqual({ name: 'X-Test', value: 'yes' });
    expect(r.body).toEqual({ bytesRead: 11, truncated: false, interrupted: false, sha256: sha256('hello world'), preview: 'hello world' });
    expect(r.timing.connectMs).not.toBeNull();
    expect(r.timing.totalMs).toBeGreaterThanOrEqual(r.timing.ttfbMs ?? 0);
    expect(seen.host).toBe(`127.0.0.1:${port}`);
  });

  it('treats 404 as a result and HEAD as bodiless', async () => {
    expect(await probe({ path: '/missing' })).toMatchObject({ status: 404, statusText: 'Not Found' });
    expect((await probe({ path: '/hello', method: 'HEAD' })).body).toMatchObject({ bytesRead: 0, truncated: false });
  });

  it('stops reading at the body cap and marks the body truncated', async () => {
    const r = await probe({ path: '/big', maxBodyBytes: 1000 });
    expect(r.body).toMatchObject({ bytesRead: 1000, truncated: true, sha256: sha256(BIG.subarray(0, 1000)) });
    expect(r.body.preview).toBe('x'.repeat(1000));
  });

  it('sanitizes hostile header values and body text', async () => {
    const body = Buffer.from('\u001b[31mred\u001b[0m \u0007bell \u202eevil\u202c \u0000nul\nline2', 'utf8');
    // Raw bytes: a UTF-8 bidi override and a C1 CSI (0x9b) in a header value, which node's parser lets through.
    const head = Buffer.from(`HTTP/1.1 200 OK\r\nX-Evil: \xe2\x80\xaeexe.txt \x9b31mred\r\nContent-Length: ${body.length}\r\n\r\n`, 'latin1');
    const raw = net.createServer((s) => s.once('data', () => s.end(Buffer.concat([head, body]))));
    const rawPort = await listenLoopback(raw);
    const r = await probe({ port: rawPort });
    await closeServer(raw);
    expect(r.headers).toContainEqual({ name: 'X-Evil', value: 'exe.txt \ufffd31mred' });
    expect(r.body.preview).toBe('red bell evil nul\nline2');
    expect(r.body.sha256).toBe(sha256(body)); // the hash covers the bytes as received
  });

  it('keeps what arrived when the server drops the connection mid-body', async () => {
    const r = await probe({ path: '/cut' });
    expect(r).toMatchObject({ status: 200, body: { bytesRead: 10, truncated: false, interrupted: true, preview: 'only ten..' } });
  });

  it('reports TLS facts for https without verifying the self-signed certificate', async () => {
    const r = await probe({ scheme: 'https', port: tlsPort, path: '/hello' });
    expect(r).toMatchObject({
      status: 200,
      tls: { protocol: 'TLSv1.3', alpnProtocol: 'http/1.1', chainVerified: false, chainError: 'DEPTH_ZERO_SELF_SIGNED_CERT' },
    });
    expect(r.tls?.certSubject).toContain('CN=web.lab.internal');
    expect(r.timing.tlsMs).not.toBeNull();
    expect(seen.sni).toBe(false); // no SNI for an IP target
  });

  it('reports a 302 without following it by default', async () => {
    const r = await probe({ path: '/away' });
    expect(r.status).toBe(302);
    expect(r.redirects).toEqual([
      expect.objectContaining({
        status: 302,
        location: `http://127.0.0.1:${otherPort}/landed`,
        followed: false,
        reason: expect.stringContaining('NETDIAG_HTTP_MAX_REDIRECTS=0'),
      }),
    ]);
  });

  it('follows a redirect to another allowed port when the runner allows one', async () => {
    const r = await probe({ path: '/away' }, { NETDIAG_HTTP_MAX_REDIRECTS: '1' });
    expect(r).toMatchObject({ status: 200, finalUrl: `http://127.0.0.1:${otherPort}/landed`, body: { preview: 'landed' } });
    expect(r.redirects).toMatchObject([{ followed: true, reason: null }]);
  });

  it('resolves a relative Location against the current URL', async () => {
    const r = await probe({ path: '/relative' }, { NETDIAG_HTTP_MAX_REDIRECTS: '1' });
    expect(r).toMatchObject({ status: 200, finalUrl: `http://127.0.0.1:${port}/hello?from=relative` });
  });

  it('refuses a redirect to 0.0.0.0 even when following is on', async () => {
    const r = await probe({ path: '/nowhere' }, { NETDIAG_HTTP_MAX_REDIRECTS: '3' });
    expect(r.status).toBe(302);
    expect(r.redirects).toMatchObject([{ followed: false, reason: expect.stringContaining('refused by policy') }]);
  });

  it('reports a refused connection as EXECUTION_ERROR', async () => {
    const gone = net.createServer();
    const closedPort = await listenLoopback(gone);
    await closeServer(gone);
    const { outcome } = await runThroughRunner(executor, { target: '127.0.0.1', scheme: 'http', port: closedPort });
    expect(outcome).toMatchObject({ status: 'failed', error: { code: 'EXECUTION_ERROR', message: expect.stringContaining('refused') } });
  });

  it('stops promptly on cancel, keeps the partial response and closes the socket', async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 200);
    const started = Date.now();
    const { outcome } = await runThroughRunner(executor, { target: '127.0.0.1', scheme: 'http', port, path: '/slow' }, { signal: ac.signal });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(outcome).toMatchObject({
      status: 'failed',
      error: { code: 'CANCELLED' },
      result: { status: 200, body: { interrupted: true, preview: 'first part, then nothing' } },
    });
    await slowSocketClosed; // the server saw the connection go away
  });

  it('reports TIMEOUT with the partial response when the deadline passes', async () => {
    const { outcome } = await runThroughRunner(executor, { target: '127.0.0.1', scheme: 'http', port, path: '/slow' }, { timeoutSec: 1 });
    expect(outcome).toMatchObject({ status: 'failed', error: { code: 'TIMEOUT' }, result: { status: 200, body: { interrupted: true } } });
    await slowSocketClosed;
  });
});

describe('http_probe with a hostname target (pinned address given)', () => {
  it('sends the hostname as Host header and SNI while connecting to the pinned address', async () => {
    const ctx = nativeContext({ target: { target: 'web.lab.internal', address: '127.0.0.1', family: 4, hostname: 'web.lab.internal' } });
    const r = await httpProbeExecutor.run(
      { target: 'web.lab.internal', scheme: 'https', port: tlsPort, path: '/hello', method: 'GET', maxBodyBytes: 100 },
      ctx,
    );
    expect(r.ok && r.result).toMatchObject({ status: 200, url: `https://web.lab.internal:${tlsPort}/hello`, finalAddress: '127.0.0.1' });
    expect(seen).toMatchObject({ host: `web.lab.internal:${tlsPort}`, sni: 'web.lab.internal' });
  });
});
