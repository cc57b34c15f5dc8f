import { readFileSync } from 'node:fs';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RUNNER_CHANNEL_PATH } from '../../functions/shared/runner-channel/frame';
import { apiFetch } from '../../functions/shared/node/api-transport';
import { type RunningApi, startApi, startRunner } from '../helpers/processes';
import { type TestCa, makeTestPki } from '../helpers/tls-pki';
import { type TestTokens, makeTokens } from '../helpers/tokens';

// Runner identity by client certificate, in addition to the runner token (MCP_RUNNER_CLIENT_CA_FILE).
describe('runner mTLS', () => {
  const pki = makeTestPki();
  let lab: TestCa;
  let runners: TestCa;
  let tokens: TestTokens;
  let api: RunningApi;

  beforeAll(async () => {
    lab = pki.ca('lab');
    runners = pki.ca('runners');
    tokens = makeTokens();
    const server = lab.issue('api');
    api = await startApi(
      tokens,
      {
        MCP_ALLOW_LOOPBACK: 'true',
        MCP_QUEUE_WAIT_SEC: '5',
        MCP_TLS_CERT_FILE: server.certFile,
        MCP_TLS_KEY_FILE: server.keyFile,
        MCP_RUNNER_CLIENT_CA_FILE: runners.caFile,
      },
      { caFile: lab.caFile },
    );
  }, 30_000);

  afterAll(async () => {
    await api?.stop();
    pki.remove();
  });

  const claim = (f: typeof fetch, runnerId: string): Promise<Response> =>
    f(`${api.url}/runner/claim`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.runner}`, 'content-type': 'application/json' },
      body: JSON.stringify({ runnerId, tools: ['ping'], waitMs: 0 }),
    });

  it('a runner with its certificate (CN = runner id) and token runs a ping', async () => {
    const cert = runners.issue('runner-a', { usage: 'clientAuth' });
    const runner = await startRunner(api, tokens, {
      MCP_ALLOW_LOOPBACK: 'true',
      NETDIAG_CA_FILE: lab.caFile,
      NETDIAG_RUNNER_ID: 'runner-a',
      NETDIAG_CLIENT_CERT_FILE: cert.certFile,
      NETDIAG_CLIENT_KEY_FILE: cert.keyFile,
    });
    try {
      // Through the CA-aware fetch: the global one does not trust the lab CA.
      const res = await api.fetch(`${api.url}/tools/ping/execute`, {
        method: 'POST',
        headers: { authorization: `Bearer ${tokens.client}`, 'content-type': 'application/json' },
        body: JSON.stringify({ target: '127.0.0.1', count: 1 }),
      });
      const body = (await res.json()) as { status?: string; result?: { received?: number } };
      expect(res.status, JSON.stringify(body)).toBe(200);
      expect(body.result?.received).toBe(1);
    } finally {
      await runner.stop();
    }
  }, 30_000);

  it('over the runner channel only (wss with the lab CA and the certificate), a runner runs a ping', async () => {
    const cert = runners.issue('runner-c', { usage: 'clientAuth' });
    const env = { MCP_ALLOW_LOOPBACK: 'true', NETDIAG_CA_FILE: lab.caFile, NETDIAG_RUNNER_ID: 'runner-c', NETDIAG_RUNNER_CHANNEL: 'websocket' };
    const runner = await startRunner(api, tokens, { ...env, NETDIAG_CLIENT_CERT_FILE: cert.certFile, NETDIAG_CLIENT_KEY_FILE: cert.keyFile });
    try {
      const res = await api.fetch(`${api.url}/tools/ping/execute`, {
        method: 'POST',
        headers: { authorization: `Bearer ${tokens.client}`, 'content-type': 'application/json' },
        body: JSON.stringify({ target: '127.0.0.1', count: 1 }),
      });
      expect(res.status).toBe(200);
      expect(runner.logs()).toContain('"msg":"runner channel open"');
    } finally {
      await runner.stop();
    }
  }, 30_000);

  it('refuses a runner channel upgrade with the runner token but no client certificate (401)', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const ws = new WebSocket(`${api.url.replace(/^https/, 'wss')}${RUNNER_CHANNEL_PATH}`, {
        headers: { authorization: `Bearer ${tokens.runner}` },
        ca: readFileSync(lab.caFile, 'utf8'),
      });
      ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.once('open', () => reject(new Error('the channel opened without a certificate')));
      ws.once('error', reject);
    });
    expect(status).toBe(401);
  });

  it('the runner token without a client certificate is refused with the reason and the settings', async () => {
    const res = await claim(api.fetch, 'runner-a');
    const body = (await res.json()) as { error: { code: string; message: string; recoverySuggestion: string } };
    expect(res.status).toBe(401);
    expect(body.error.code).toBe('UNAUTHORIZED');
    expect(body.error.message).toMatch(/requires a runner client certificate: no client certificate was presented/);
    expect(body.error.recoverySuggestion).toMatch(/NETDIAG_CLIENT_CERT_FILE.*MCP_RUNNER_CLIENT_CA_FILE/);
  });

  it('a certificate from another CA is refused; one issued to another runner id is forbidden', async () => {
    const stranger = lab.issue('runner-x', { usage: 'clientAuth' });
    const wrongCa = apiFetch({ caFile: lab.caFile, clientCertFile: stranger.certFile, clientKeyFile: stranger.keyFile });
    const refused = await claim(wrongCa, 'runner-x');
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(/not accepted/);

    const b = runners.issue('runner-b', { usage: 'clientAuth' });
    const asB = apiFetch({ caFile: lab.caFile, clientCertFile: b.certFile, clientKeyFile: b.keyFile });
    const forbidden = await claim(asB, 'runner-a');
    expect(forbidden.status).toBe(403);
    expect(((await forbidden.json()) as { error: { message: string } }).error.message).toMatch(/issued to runner "runner-b", not "runner-a"/);
    expect((await claim(asB, 'runner-b')).status).toBe(200);
  });

  it('a real runner without its certificate stops at registration with the reason in its log', async () => {
    const err = await startRunner(
      api,
      tokens,
      { MCP_ALLOW_LOOPBACK: 'true', NETDIAG_CA_FILE: lab.caFile, NETDIAG_RUNNER_ID: 'runner-c' },
      { waitFor: 'never-offered' },
    ).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/requires a runner client certificate/);
  }, 20_000);

  it('clients other than runners need no certificate', async () => {
    const res = await api.fetch(`${api.url}/tools`, { headers: { authorization: `Bearer ${tokens.client}` } });
    expect(res.status).toBe(200);
  });
});
