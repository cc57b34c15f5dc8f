import { request as httpRequest } from 'node:http';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RUNNER_CHANNEL_MAX_FRAME_BYTES, RUNNER_CHANNEL_PATH, encodeFrame } from '../../functions/shared/runner-channel/frame';
import { type RunningApi, startApi } from '../helpers/processes';
import { type TestTokens, makeTokens } from '../helpers/tokens';

// The runner channel's ingress (docs/security.md, "Runner channel") against a real API process on loopback and a real
// `ws` client: each refusal is the API's typed error (an HTTP answer to the upgrade, or an answer frame), and nothing runs.
let tokens: TestTokens;
let api: RunningApi;

beforeAll(async () => {
  tokens = makeTokens();
  api = await startApi(tokens, { MCP_ALLOW_LOOPBACK: 'true' });
});
afterAll(async () => {
  await api.stop();
});

const wsUrl = (path = RUNNER_CHANNEL_PATH): string => `${api.url.replace(/^http/, 'ws')}${path}`;

/** Open a channel with these headers: the open socket, or the HTTP status and error body of the refusal. */
function open(headers: Record<string, string>, path?: string): Promise<WebSocket | { status: number; body: { error: { code: string } } }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(wsUrl(path), { headers });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as { error: { code: string } } }));
    });
    ws.once('error', reject);
  });
}

const runnerAuth = (): Record<string, string> => ({ authorization: `Bearer ${tokens.runner}` });

async function openRunner(): Promise<WebSocket> {
  const ws = await open(runnerAuth());
  if (!(ws instanceof WebSocket)) throw new Error(`channel refused: ${ws.status}`);
  return ws;
}

/** Send one request frame and read its answer frame. */
function call(
  ws: WebSocket,
  id: number,
  path: string,
  headers: Record<string, string>,
  body: string,
): Promise<{ status: number; body: { error?: { code: string } } }> {
  return new Promise((resolve) => {
    const onMessage = (data: Buffer): void => {
      const text = data.toString();
      const end = text.indexOf('\n');
      const head = JSON.parse(text.slice(0, end)) as { id: number; status: number };
      if (head.id !== id) return;
      ws.off('message', onMessage);
      resolve({ status: head.status, body: JSON.parse(text.slice(end + 1)) as { error?: { code: string } } });
    };
    ws.on('message', onMessage);
    ws.send(encodeFrame({ id, method: 'POST', path, headers: { 'content-type': 'application/json', ...headers } }, body));
  });
}

async function jobCount(): Promise<number> {
  const res = await fetch(`${api.url}/jobs`, { headers: { authorization: `Bearer ${tokens.admin}` } });
  return ((await res.json()) as { total: number }).total;
}

describe('opening a runner channel', () => {
  it('refuses an upgrade without a token (401 UNAUTHORIZED)', async () => {
    expect(await open({})).toMatchObject({ status: 401, body: { error: { code: 'UNAUTHORIZED' } } });
  });

  it('refuses a token without the runner scope (403 FORBIDDEN)', async () => {
    expect(await open({ authorization: `Bearer ${tokens.admin}` })).toMatchObject({ status: 403, body: { error: { code: 'FORBIDDEN' } } });
  });

  it('refuses a request with an Origin header, even with the runner token (403 FORBIDDEN)', async () => {
    expect(await open({ ...runnerAuth(), origin: 'http://127.0.0.1' })).toMatchObject({ status: 403, body: { error: { code: 'FORBIDDEN' } } });
  });

  it('upgrades no other path (404 NOT_FOUND)', async () => {
    expect(await open(runnerAuth(), '/tools')).toMatchObject({ status: 404, body: { error: { code: 'NOT_FOUND' } } });
  });
});

describe('other upgrade requests', () => {
  /** A request that offers another protocol (curl --http2 sends `Upgrade: h2c`): status and body. */
  const offerH2c = (method: string, path: string, body?: string): Promise<{ status: number; text: string }> =>
    new Promise((resolve, reject) => {
      const headers = {
        connection: 'Upgrade, HTTP2-Settings',
        upgrade: 'h2c',
        'http2-settings': '',
        ...(body ? { 'content-length': String(body.length) } : {}),
      };
      const req = httpRequest(`${api.url}${path}`, { method, headers }, (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      });
      req.on('error', reject);
      req.end(body);
    });

  it('still answers a plain request that offers h2c, as HTTP/1.1', async () => {
    expect(await offerH2c('GET', '/livez')).toMatchObject({ status: 200, text: '{"status":"ok"}' });
  });

  it('refuses such a request with a body (400 VALIDATION_ERROR): Node cannot read it after an upgrade offer', async () => {
    const answer = await offerH2c('POST', '/tools/ping/execute', '{"target":"127.0.0.1"}');
    expect(answer.status).toBe(400);
    expect(answer.text).toContain('VALIDATION_ERROR');
  });
});

describe('requests on an open runner channel', () => {
  const execute = JSON.stringify({ target: '127.0.0.1', count: 1 });

  it('answers a claim through the runner route', async () => {
    const ws = await openRunner();
    const answer = await call(ws, 1, '/runner/claim', runnerAuth(), JSON.stringify({ runnerId: 'probe', tools: ['ping'], waitMs: 0 }));
    expect(answer).toMatchObject({ status: 200, body: { pollAgainMs: 0 } });
    ws.close();
  });

  it('refuses a path that is not a runner route, plain or dotted, without dispatching it (404 NOT_FOUND)', async () => {
    const ws = await openRunner();
    const before = await jobCount();
    expect(await call(ws, 1, '/tools/ping/execute', runnerAuth(), execute)).toMatchObject({ status: 404, body: { error: { code: 'NOT_FOUND' } } });
    expect(await call(ws, 2, '/runner/../tools/ping/execute', runnerAuth(), execute)).toMatchObject({ status: 404, body: { error: { code: 'NOT_FOUND' } } });
    expect(await call(ws, 3, '/runner/%2e%2e/tools/ping/execute', runnerAuth(), execute)).toMatchObject({
      status: 404,
      body: { error: { code: 'NOT_FOUND' } },
    });
    expect(await jobCount()).toBe(before);
    ws.close();
  });

  it('refuses a request carrying another token than the channel was opened with (401), even a valid one', async () => {
    const ws = await openRunner();
    const claim = JSON.stringify({ runnerId: 'probe', tools: ['ping'], waitMs: 0 });
    // The admin token is valid but not this channel's: refused by the channel (401), where the route would have said 403.
    expect(await call(ws, 1, '/runner/claim', { authorization: `Bearer ${tokens.admin}` }, claim)).toMatchObject({
      status: 401,
      body: { error: { code: 'UNAUTHORIZED' } },
    });
    expect(await call(ws, 2, '/runner/claim', {}, claim)).toMatchObject({ status: 401, body: { error: { code: 'UNAUTHORIZED' } } });
    ws.close();
  });

  it('serves a channel whose Host the URL parser refuses (as localhost), and the API stays up', async () => {
    const ws = await open({ ...runnerAuth(), host: 'a:b:c' });
    if (!(ws instanceof WebSocket)) throw new Error(`channel refused: ${ws.status}`);
    const claim = JSON.stringify({ runnerId: 'probe', tools: ['ping'], waitMs: 0 });
    expect(await call(ws, 1, '/runner/claim', runnerAuth(), claim)).toMatchObject({ status: 200, body: { pollAgainMs: 0 } });
    ws.close();
    expect((await fetch(`${api.url}/livez`)).status).toBe(200);
  });

  it('refuses a header value a Request cannot carry (400 VALIDATION_ERROR), runs nothing and keeps the channel', async () => {
    const ws = await openRunner();
    const before = await jobCount();
    const claim = JSON.stringify({ runnerId: 'probe', tools: ['ping'], waitMs: 0 });
    expect(await call(ws, 1, '/runner/claim', { ...runnerAuth(), 'x-bad': 'a\nb' }, claim)).toMatchObject({
      status: 400,
      body: { error: { code: 'VALIDATION_ERROR' } },
    });
    expect(await call(ws, 2, '/runner/claim', runnerAuth(), claim)).toMatchObject({ status: 200, body: { pollAgainMs: 0 } });
    expect(await jobCount()).toBe(before);
    ws.close();
  });

  it('closes the channel on a frame over the size cap (1009) and runs nothing', async () => {
    const ws = await openRunner();
    const before = await jobCount();
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    ws.on('error', () => undefined);
    const huge = JSON.stringify({ leaseId: 'x', outcome: { status: 'failed', pad: 'x'.repeat(RUNNER_CHANNEL_MAX_FRAME_BYTES) } });
    ws.send(encodeFrame({ id: 1, method: 'POST', path: '/runner/jobs/x/complete', headers: runnerAuth() }, huge));
    expect(await closed).toBe(1009);
    expect(await jobCount()).toBe(before);
  });

  it('closes the channel on a frame it cannot read (1008)', async () => {
    const ws = await openRunner();
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    ws.send('not a frame');
    expect(await closed).toBe(1008);
  });
});
