import { createServer as createHttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DnsServer, startDnsServer } from '../helpers/dns-server';
import { type Running, type RunningApi, startApi, startRunner } from '../helpers/processes';
import { type ShimSession, connectShim } from '../helpers/shim-client';
import { makeSelfSignedCert } from '../helpers/tls-cert';
import { makeTokens } from '../helpers/tokens';

// Every tool through the bundled shim → API → runner → real binary or native probe, against servers on loopback.
let api: RunningApi;
let runner: Running;
let shim: ShimSession;
let dns: DnsServer;
const servers: Server[] = [];
let httpPort = 0;
let httpsPort = 0;

const listen = (s: Server): Promise<number> =>
  new Promise((resolve) => {
    servers.push(s);
    s.listen(0, '127.0.0.1', () => resolve((s.address() as AddressInfo).port));
  });

beforeAll(async () => {
  const tokens = makeTokens();
  dns = await startDnsServer([
    { name: 'web.lab.internal', type: 'A', ttl: 60, data: '127.0.0.1' },
    { name: 'lab.internal', type: 'MX', ttl: 60, data: { preference: 10, exchange: 'mail.lab.internal' } },
  ]);
  httpPort = await listen(createHttpServer((_req, res) => res.writeHead(200, { 'content-type': 'text/plain', server: 'lab-web' }).end('hello from the lab\n')));
  const cert = makeSelfSignedCert({ commonName: 'web.lab.internal' });
  httpsPort = await listen(createHttpsServer({ key: cert.key, cert: cert.cert }, (_req, res) => res.end('tls hello')));
  api = await startApi(tokens, { MCP_ALLOW_LOOPBACK: 'true' });
  runner = await startRunner(api, tokens, { MCP_ALLOW_LOOPBACK: 'true', NETDIAG_DNS_RESOLVER: `127.0.0.1:${dns.port}` }, { waitFor: 'dig' });
  shim = await connectShim({ NETDIAG_API_URL: api.url, NETDIAG_TOKEN: tokens.client });
});

afterAll(async () => {
  await shim?.close();
  await runner?.stop();
  await api?.stop();
  await dns?.stop();
  for (const s of servers) s.close();
});

const call = async (name: string, args: Record<string, unknown>): Promise<Record<string, unknown>> => {
  const r = await shim.client.callTool({ name, arguments: args });
  if (r.isError) throw new Error(JSON.stringify(r.content));
  expect((r.content as Array<{ type: string; text: string }>)[0]?.text.length).toBeGreaterThan(0);
  return r.structuredContent as Record<string, unknown>;
};

describe('the tool catalogue end to end (loopback)', () => {
  it('lists every tool, all available on the runner', async () => {
    const names = (await shim.client.listTools()).tools.map((t) => t.name).sort();
    expect(names).toEqual(expect.arrayContaining(['dig', 'http_probe', 'mtr', 'nmap', 'ping', 'tls_inspect', 'traceroute']));
  });

  it('nmap finds the open port of a loopback server and the closed one next to it', async () => {
    const r = await call('nmap', { target: '127.0.0.1', ports: `${httpPort},${httpsPort}` });
    const ports = ((r['hosts'] as Array<{ ports: Array<{ port: number; state: string }> }>)[0]?.ports ?? []).map((p) => `${p.port}:${p.state}`);
    expect(ports).toEqual(expect.arrayContaining([`${httpPort}:open`, `${httpsPort}:open`]));
  });

  it('traceroute reaches 127.0.0.1 in one hop', async () => {
    const r = await call('traceroute', { target: '127.0.0.1', maxHops: 3, queries: 1, waitSec: 1 });
    expect(r).toMatchObject({ target: '127.0.0.1', reachedDestination: true });
    expect((r['hops'] as unknown[]).length).toBe(1);
  });

  it('mtr reports one hop with no loss', async () => {
    const r = await call('mtr', { target: '127.0.0.1', cycles: 1, waitSec: 1 });
    expect((r['hops'] as Array<Record<string, unknown>>)[0]).toMatchObject({ lossPercent: 0 });
  });

  it('dig asks the configured lab resolver', async () => {
    const before = dns.queries.length;
    const r = await call('dig', { name: 'web.lab.internal', type: 'A' });
    expect(r).toMatchObject({ status: 'NOERROR' });
    expect(JSON.stringify(r['answer'])).toContain('127.0.0.1');
    expect(dns.queries.length).toBe(before + 1);
  });

  it('tls_inspect reads the certificate', async () => {
    const r = await call('tls_inspect', { target: '127.0.0.1', port: httpsPort });
    expect(JSON.stringify(r)).toContain('web.lab.internal');
  });

  it('http_probe reports status, headers and a body preview', async () => {
    const r = await call('http_probe', { target: '127.0.0.1', port: httpPort, scheme: 'http', path: '/' });
    expect(r).toMatchObject({ status: 200 });
    expect(JSON.stringify(r)).toContain('hello from the lab');
  });
});
