import { readFileSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Running, type RunningApi, startApi, startRunner } from '../helpers/processes';
import { NetdiagTransportError, createNetdiagClient } from '../../openapi/sdk/src/index';
import { fetchTrusting } from '../../openapi/sdk/src/node';
import { runUntil } from '../helpers/run-until';
import { connectShim } from '../helpers/shim-client';
import { type TestCa, makeTestPki } from '../helpers/tls-pki';
import { type TestTokens, makeTokens } from '../helpers/tokens';

const text = (r: unknown): string => ((r as { content?: Array<{ text?: string }> }).content ?? []).map((c) => c.text ?? '').join('\n');

// Every hop over HTTPS on 127.0.0.1, with a lab CA made now (docs/security.md, "Service").
describe('HTTPS between the shim, the runner and the API', () => {
  const pki = makeTestPki();
  let lab: TestCa;
  let tokens: TestTokens;
  let api: RunningApi;
  let runner: Running | undefined;

  beforeAll(async () => {
    lab = pki.ca('lab');
    tokens = makeTokens();
    const server = lab.issue('api', { cn: 'api.lab.internal', sans: 'DNS:api.lab.internal,IP:127.0.0.1' });
    api = await startApi(
      tokens,
      { MCP_ALLOW_LOOPBACK: 'true', MCP_QUEUE_WAIT_SEC: '5', MCP_TLS_CERT_FILE: server.certFile, MCP_TLS_KEY_FILE: server.keyFile },
      { caFile: lab.caFile },
    );
    runner = await startRunner(api, tokens, { MCP_ALLOW_LOOPBACK: 'true', NETDIAG_CA_FILE: lab.caFile });
  }, 30_000);

  afterAll(async () => {
    await runner?.stop();
    await api?.stop();
    pki.remove();
  });

  it('serves https:// and announces it', () => {
    expect(api.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(api.logs()).toMatch(/"url":"https:\/\/127\.0\.0\.1:\d+".*"tls":true/);
  });

  it('a shim trusting the lab CA completes a ping that the runner ran over HTTPS', async () => {
    const shim = await connectShim({ NETDIAG_API_URL: api.url, NETDIAG_TOKEN: tokens.client, NETDIAG_CA_FILE: lab.caFile });
    try {
      const r = await shim.client.callTool({ name: 'ping', arguments: { target: '127.0.0.1', count: 1 } });
      expect(r.isError, text(r)).toBeFalsy();
      expect((r.structuredContent as { received?: number } | undefined)?.received).toBe(1);
    } finally {
      await shim.close();
    }
  });

  it('a shim without the lab CA refuses the certificate and says which setting fixes it', async () => {
    const shim = await connectShim({ NETDIAG_API_URL: api.url, NETDIAG_TOKEN: tokens.client });
    try {
      const r = await shim.client.callTool({ name: 'ping', arguments: { target: '127.0.0.1', count: 1 } });
      expect(r.isError).toBe(true);
      expect(text(r)).toMatch(/not signed by a trusted CA/);
      expect(text(r)).toMatch(/NETDIAG_CA_FILE/);
      expect(text(r)).not.toMatch(/fetch failed/);
    } finally {
      await shim.close();
    }
  });

  it('a shim given another CA is refused the same way', async () => {
    const other = pki.ca('other');
    const shim = await connectShim({ NETDIAG_API_URL: api.url, NETDIAG_TOKEN: tokens.client, NETDIAG_CA_FILE: other.caFile });
    try {
      const r = await shim.client.callTool({ name: 'ping', arguments: { target: '127.0.0.1', count: 1 } });
      expect(r.isError).toBe(true);
      expect(text(r)).toMatch(/not signed by a trusted CA.*NETDIAG_CA_FILE/s);
    } finally {
      await shim.close();
    }
  });

  it('SIGHUP swaps the certificate without a restart; a name mismatch and an expired certificate are named by the shim', async () => {
    const pem = join(pki.dir, 'api.pem');
    const key = join(pki.dir, 'api.key');
    const current = { cert: readFileSync(pem), key: readFileSync(key) };
    let reloads = (api.logs().match(/TLS certificate reloaded/g) ?? []).length;
    const install = async (cert: Buffer, k: Buffer): Promise<void> => {
      writeFileSync(pem, cert);
      writeFileSync(key, k);
      api.proc.kill('SIGHUP');
      reloads += 1;
      await until(() => (api.logs().match(/TLS certificate reloaded/g) ?? []).length >= reloads);
    };
    const callPing = async (): Promise<{ isError?: unknown }> => {
      const shim = await connectShim({ NETDIAG_API_URL: api.url, NETDIAG_TOKEN: tokens.client, NETDIAG_CA_FILE: lab.caFile });
      try {
        return (await shim.client.callTool({ name: 'ping', arguments: { target: '127.0.0.1', count: 1 } })) as { isError?: unknown };
      } finally {
        await shim.close();
      }
    };
    // A keep-alive connection opened before the reloads must still be the one used after them.
    const keepAlive = new Agent({ keepAlive: true, maxSockets: 1, ca: readFileSync(lab.caFile) });
    const before = await getOn(keepAlive, `${api.url}/livez`);
    try {
      // Issued for a name only: NETDIAG_API_URL's 127.0.0.1 is not in it.
      const named = lab.issue('api-named', { sans: 'DNS:api.lab.internal' });
      await install(readFileSync(named.certFile), readFileSync(named.keyFile));
      const mismatch = await callPing();
      expect(mismatch.isError).toBe(true);
      expect(text(mismatch)).toMatch(/not issued for the host in NETDIAG_API_URL \(ERR_TLS_CERT_ALTNAME_INVALID/);

      const expired = lab.issue('api-expired', { days: -1 });
      await install(readFileSync(expired.certFile), readFileSync(expired.keyFile));
      const old = await callPing();
      expect(old.isError).toBe(true);
      expect(text(old)).toMatch(/has expired \(CERT_HAS_EXPIRED\).*MCP_TLS_CERT_FILE/s);
    } finally {
      await install(current.cert, current.key);
    }
    const after = await getOn(keepAlive, `${api.url}/livez`);
    expect(after.reused).toBe(true);
    expect(after.socket).toBe(before.socket);
    keepAlive.destroy();
    // Still the same process, serving the renewed certificate.
    const res = await api.fetch(`${api.url}/tools`, { headers: { authorization: `Bearer ${tokens.client}` } });
    expect(res.status).toBe(200);
    expect(api.proc.exitCode).toBeNull();
  });

  it('a broken file on SIGHUP is logged and the certificate in use stays', async () => {
    const pem = join(pki.dir, 'api.pem');
    const current = readFileSync(pem);
    try {
      writeFileSync(pem, 'not a certificate');
      api.proc.kill('SIGHUP');
      await until(() => /TLS certificate not reloaded; the previous one stays in use/.test(api.logs()));
      const res = await api.fetch(`${api.url}/tools`, { headers: { authorization: `Bearer ${tokens.client}` } });
      expect(res.status).toBe(200);
    } finally {
      writeFileSync(pem, current);
    }
  });

  it('the SDK names the certificate problem (NetdiagTransportError) and works with fetchTrusting', async () => {
    const untrusting = createNetdiagClient({ baseUrl: api.url, token: tokens.client });
    const err = await untrusting.listTools().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NetdiagTransportError);
    expect((err as NetdiagTransportError).problem).toMatch(/not signed by a trusted CA/);
    expect((err as NetdiagTransportError).fix).toMatch(/NETDIAG_CA_FILE/);
    const trusting = createNetdiagClient({ baseUrl: api.url, token: tokens.client, fetch: fetchTrusting(lab.caFile) });
    const { result } = await trusting.tools.ping({ target: '127.0.0.1', count: 1 });
    expect(result.received).toBe(1);
  });

  it('a runner without the lab CA logs the certificate problem and the setting, not a bare "fetch failed"', async () => {
    const r = await runUntil(
      'runner.mjs',
      { NETDIAG_API_URL: api.url, NETDIAG_RUNNER_TOKEN: tokens.runner, MCP_ALLOW_LOOPBACK: 'true' },
      /register failed; retrying/,
    );
    expect(r.stderr).toMatch(/register failed; retrying/);
    expect(r.stderr).toMatch(/"problem":"the API's TLS certificate is not signed by a trusted CA/);
    expect(r.stderr).toMatch(/"fix":"Set NETDIAG_CA_FILE/);
  });
});

/** GET on a node:https agent; tells which socket carried it and whether it was a reused one. */
function getOn(agent: Agent, url: string): Promise<{ socket: unknown; reused: boolean }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent }, (res) => {
      res.resume();
      res.once('end', () => resolve({ socket: req.socket, reused: req.reusedSocket }));
    });
    req.once('error', reject);
    req.end();
  });
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 25));
  expect(check()).toBe(true);
}
