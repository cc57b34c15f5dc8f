/**
 * How the shim and the runner reach the API: certificate verification with an optional private lab CA
 * (NETDIAG_CA_FILE), an optional client certificate (runner mTLS), and no plain HTTP to a non-loopback address
 * unless NETDIAG_ALLOW_INSECURE=true. docs/security.md, "Service".
 */
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { rootCertificates } from 'node:tls';
import type { Dispatcher } from 'undici-types';
import { INSECURE_URL_CODE } from '../errors/transport-failure';
import { bundledAgent } from './bundled-agent';

export interface ApiTransportOptions {
  /** PEM file of a CA trusted in addition to Node's public roots. */
  caFile?: string | undefined;
  /** PEM client certificate and key (runner mTLS, MCP_RUNNER_CLIENT_CA_FILE on the API). */
  clientCertFile?: string | undefined;
  clientKeyFile?: string | undefined;
}

/** 127.0.0.0/8, ::1 and localhost: traffic that never leaves the machine. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1' || host === '0:0:0:0:0:0:0:1';
}

export type UrlVerdict = { ok: true; warning?: string } | { ok: false; message: string };

/** Decide on the URL alone, before anything is sent: plain HTTP is for loopback unless explicitly allowed. */
export function checkApiUrl(apiUrl: string, allowInsecure: boolean): UrlVerdict {
  let url: URL;
  try {
    url = new URL(apiUrl);
  } catch {
    return { ok: false, message: `NETDIAG_API_URL is not a URL: "${apiUrl}"` };
  }
  if (url.protocol === 'https:' || isLoopbackHost(url.hostname)) return { ok: true };
  if (allowInsecure) {
    return { ok: true, warning: `NETDIAG_ALLOW_INSECURE=true: tokens and results go to ${url.host} in clear text over plain HTTP; use https:// instead` };
  }
  return {
    ok: false,
    message: `refusing plain HTTP to the non-loopback address ${url.host} (tokens would cross the network in clear text); nothing was sent`,
  };
}

/** A fetch that sends nothing and fails the way fetch fails, with a cause the shim can name (describeTransportCode). */
export function refusingFetch(message: string, code: string = INSECURE_URL_CODE): typeof fetch {
  return () => Promise.reject(new TypeError('fetch refused', { cause: Object.assign(new Error(message), { code }) }));
}

/** Read a PEM file named by a setting; the error names the setting. */
export function readPem(setting: string, path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new Error(`${setting}: cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? String(err)})`, { cause: err });
  }
}

/** The TLS settings API calls add to Node's defaults: the lab CA beside the public roots, a client certificate. */
export interface ApiTlsOptions {
  ca?: string[];
  cert?: string;
  key?: string;
}

/**
 * What `o` adds to Node's TLS defaults, read now (a bad path fails at start-up); undefined when nothing. Used by
 * apiFetch's dispatcher and by the runner channel's WebSocket (runner/src/channel/), so both trust the same API.
 */
export function apiTlsOptions(o: ApiTransportOptions): ApiTlsOptions | undefined {
  const ca = o.caFile ? readPem('NETDIAG_CA_FILE', o.caFile) : undefined;
  if ((o.clientCertFile === undefined) !== (o.clientKeyFile === undefined)) {
    throw new Error('NETDIAG_CLIENT_CERT_FILE and NETDIAG_CLIENT_KEY_FILE go together: set both or neither');
  }
  const cert = o.clientCertFile ? readPem('NETDIAG_CLIENT_CERT_FILE', o.clientCertFile) : undefined;
  const key = o.clientKeyFile ? readPem('NETDIAG_CLIENT_KEY_FILE', o.clientKeyFile) : undefined;
  if (ca === undefined && cert === undefined) return undefined;
  return { ...(ca !== undefined ? { ca: [...rootCertificates, ca] } : {}), ...(cert !== undefined && key !== undefined ? { cert, key } : {}) };
}

/**
 * The fetch for API calls. Without a CA file or client certificate it is `base` itself (Node's fetch verifies
 * against its public roots). Otherwise every call carries a dispatcher whose TLS trusts the public roots plus
 * the lab CA and presents the client certificate. Files are read now, so a bad path fails at start-up.
 */
export function apiFetch(o: ApiTransportOptions, base: typeof fetch = globalThis.fetch): typeof fetch {
  const connect = apiTlsOptions(o);
  if (connect === undefined) return base;
  let dispatcher: Promise<Dispatcher> | undefined;
  return async (input, init) => {
    dispatcher ??= bundledAgent({ connect });
    const withDispatcher: RequestInit & { dispatcher: Dispatcher } = { ...init, dispatcher: await dispatcher };
    return base(input, withDispatcher);
  };
}
