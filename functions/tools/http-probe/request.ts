import http from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { type HttpProbeResult, HTTP_CAPS } from './definition';
import { sanitizeLine } from '../../shared/text/sanitize';
import { BodyReader, collectHeaders } from './body';
import { hostForUrl } from '../common/net-errors';
import { toIso } from '../tls-inspect/cert-info';

/** One request's destination: already pinned, so `address` is an IP literal. */
export interface Hop {
  scheme: 'http' | 'https';
  address: string;
  hostname?: string | undefined;
  port: number;
  /** Origin-form path, already validated. */
  path: string;
}

export const defaultPort = (scheme: Hop['scheme']): number => (scheme === 'https' ? 443 : 80);
const hostPort = (h: Hop): string => hostForUrl(h.hostname ?? h.address) + (h.port === defaultPort(h.scheme) ? '' : `:${h.port}`);
export const hopUrl = (h: Hop): string => `${h.scheme}://${hostPort(h)}${h.path}`;

export type Exchange = Pick<
  HttpProbeResult,
  'status' | 'statusText' | 'httpVersion' | 'headers' | 'headerCount' | 'headersTruncated' | 'timing' | 'tls' | 'body'
> & {
  /** Location as received (raw latin1 string), for the redirect decision; sanitized before display. */
  location: string | undefined;
};

export type ExchangeOutcome = { ok: true; exchange: Exchange } | { ok: false; aborted: boolean; error: unknown; partial?: Exchange | undefined };

const ms = (from: number, to: number | undefined): number | null => (to === undefined ? null : Math.round((to - from) * 100) / 100);

function tlsFacts(s: TLSSocket): NonNullable<HttpProbeResult['tls']> {
  const cert = s.getPeerCertificate();
  const dn = (o: object | undefined): string | null =>
    o
      ? sanitizeLine(
          Object.entries(o)
            .map(([k, v]) => `${k}=${String(v)}`)
            .join(', '),
          512,
        )
      : null;
  return {
    protocol: s.getProtocol(),
    alpnProtocol: typeof s.alpnProtocol === 'string' ? sanitizeLine(s.alpnProtocol, 32) : null,
    cipher: s.getCipher()?.standardName ?? null,
    certSubject: cert.raw ? dn(cert.subject) : null,
    certIssuer: cert.raw ? dn(cert.issuer) : null,
    certValidTo: cert.raw ? toIso(cert.valid_to) : null,
    chainVerified: s.authorized,
    chainError: s.authorizationError ? sanitizeLine(String(s.authorizationError), 128) : null,
  };
}

/**
 * One request and its response over a fresh connection to the pinned address. `agent: false` means no
 * pooling and no proxy (node:http never reads HTTP(S)_PROXY in Node 20); the socket is destroyed when
 * the exchange settles, whatever happened.
 */
export function exchange(hop: Hop, method: 'GET' | 'HEAD', maxBodyBytes: number, signal: AbortSignal): Promise<ExchangeOutcome> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve({ ok: false, aborted: true, error: new Error('stopped before connecting') });
    const started = performance.now();
    const t: { connect?: number; secure?: number; ttfb?: number } = {};
    const body = new BodyReader(maxBodyBytes);
    let tls: Exchange['tls'] = null;
    let head: Omit<Exchange, 'timing' | 'tls' | 'body'> | undefined;
    let settled = false;

    const snapshot = (interrupted: boolean): Exchange | undefined =>
      head && {
        ...head,
        tls,
        body: body.summary(interrupted),
        timing: {
          connectMs: ms(started, t.connect),
          tlsMs: t.secure && t.connect ? ms(t.connect, t.secure) : null,
          ttfbMs: ms(started, t.ttfb),
          totalMs: ms(started, performance.now()) ?? 0,
        },
      };
    const settle = (o: ExchangeOutcome): void => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      req.destroy();
      resolve(o);
    };
    const finish = (interrupted: boolean): void => {
      const ex = snapshot(interrupted);
      settle(ex ? { ok: true, exchange: ex } : { ok: false, aborted: false, error: new Error('no response') });
    };
    const onAbort = (): void => settle({ ok: false, aborted: true, error: new Error('stopped'), partial: snapshot(true) });

    const options: https.RequestOptions = {
      host: hop.address,
      port: hop.port,
      path: hop.path,
      method,
      // setHost false + our own Host: the name when there is one, while the socket goes to the pinned address.
      setHost: false,
      headers: { Host: hostPort(hop), 'User-Agent': 'netdiag-mcp http_probe', Accept: '*/*', 'Accept-Encoding': 'identity' },
      agent: false,
      maxHeaderSize: 16_384,
      ...(hop.scheme === 'https'
        ? { servername: hop.hostname ?? '', rejectUnauthorized: false, ALPNProtocols: ['http/1.1'] } // '' = no SNI for IP literals
        : {}),
    };
    const req = (hop.scheme === 'https' ? https : http).request(options);
    signal.addEventListener('abort', onAbort, { once: true });
    req.on('socket', (s: Socket) => {
      s.once('connect', () => (t.connect = performance.now()));
      s.once('secureConnect', () => {
        t.secure = performance.now();
        tls = tlsFacts(s as TLSSocket);
      });
    });
    req.on('error', (error) => (head ? finish(true) : settle({ ok: false, aborted: false, error })));
    req.on('response', (res) => {
      t.ttfb = performance.now();
      const loc = res.headers.location;
      head = {
        status: res.statusCode ?? 0,
        statusText: sanitizeLine(res.statusMessage ?? '', HTTP_CAPS.statusText),
        httpVersion: sanitizeLine(res.httpVersion, 7),
        ...collectHeaders(res.rawHeaders),
        location: typeof loc === 'string' ? loc : undefined,
      };
      res.on('data', (chunk: Buffer) => {
        if (!body.push(chunk)) finish(false); // cap reached: stop reading, destroy the socket
      });
      res.on('end', () => finish(false));
      // The peer went away mid-body: 'error' (ECONNRESET "aborted") then 'close' without 'end'. What was read is the result.
      res.on('error', () => finish(true));
      res.on('close', () => finish(!res.complete));
    });
    req.end();
  });
}
