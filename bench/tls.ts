/**
 * Issue 14 (HTTPS between every hop): what TLS adds to a call. GET /tools over plain HTTP and over HTTPS (ECDSA P-256,
 * lab CA made now), on a kept-alive connection and on a new connection per call (a full handshake each time).
 * Figures only; loopback only.
 */
import { readFileSync } from 'node:fs';
import { apiFetch } from '../functions/shared/node/api-transport';
import { bundledAgent } from '../functions/shared/node/bundled-agent';
import { type RunningApi, startApi } from '../test/helpers/processes';
import { makeTestPki } from '../test/helpers/tls-pki';
import { makeTokens } from '../test/helpers/tokens';
import { alternate, printTable, summarize } from './stats';

const ROUNDS = Number(process.env['BENCH_TLS_ROUNDS'] ?? 300);

export async function benchTls(): Promise<void> {
  const pki = makeTestPki();
  const tokens = makeTokens();
  const lab = pki.ca('lab');
  const cert = lab.issue('api');
  const apis: RunningApi[] = [];
  try {
    const plain = await startApi(tokens);
    apis.push(plain);
    const tls = await startApi(tokens, { MCP_TLS_CERT_FILE: cert.certFile, MCP_TLS_KEY_FILE: cert.keyFile }, { caFile: lab.caFile });
    apis.push(tls);
    const headers = { authorization: `Bearer ${tokens.client}` };
    const ca = readFileSync(lab.caFile, 'utf8');
    const get = async (f: typeof fetch, url: string, init: RequestInit = {}): Promise<void> => {
      const res = await f(`${url}/tools`, { ...init, headers });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
    };
    // A fresh dispatcher per call: a new TCP connection (and for HTTPS a full handshake) every time.
    const fresh = async (url: string, connect: Record<string, unknown>): Promise<void> => {
      const dispatcher = await bundledAgent({ connect, pipelining: 0 });
      const init: RequestInit & { dispatcher: unknown } = { dispatcher };
      await get(fetch, url, init);
      await (dispatcher as unknown as { close(): Promise<void> }).close();
    };
    const tlsFetch = apiFetch({ caFile: lab.caFile });
    for (let i = 0; i < 20; i++) await Promise.all([get(fetch, plain.url), get(tlsFetch, tls.url)]);
    const kept = await alternate(ROUNDS, { http: () => get(fetch, plain.url), https: () => get(tlsFetch, tls.url) });
    const fresh_ = await alternate(Math.min(ROUNDS, 200), { http: () => fresh(plain.url, {}), https: () => fresh(tls.url, { ca }) });
    printTable('HTTPS (issue 14): GET /tools, sequential', [
      ['http, kept-alive connection', summarize(kept['http'] ?? [])],
      ['https, kept-alive connection', summarize(kept['https'] ?? [])],
      ['http, new connection per call', summarize(fresh_['http'] ?? [])],
      ['https, new connection per call (handshake)', summarize(fresh_['https'] ?? [])],
    ]);
  } finally {
    for (const a of apis) await a.stop();
    pki.remove();
  }
}
