import { type Server, createServer } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plainHttpFetch } from './http-fetch';
import { closeServer, listenLoopback } from '../../../test/helpers/native-test-support';

let server: Server;
let base: string;
const seen: Array<{ method: string; url: string; auth: string | undefined; body: string; port: number | undefined }> = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', auth: req.headers.authorization, body, port: req.socket.remotePort });
      if (req.url === '/reset') return void req.socket.destroy(); // the connection drops before any answer
      if (req.url === '/hang') return; // never answers: for the abort test
      if (req.url === '/empty') return void res.writeHead(204).end();
      res.writeHead(req.url === '/missing' ? 404 : 200, { 'content-type': 'application/json', 'x-two': 'a' });
      res.end(JSON.stringify({ echo: body }));
    });
  });
  base = `http://127.0.0.1:${await listenLoopback(server)}`;
});
afterAll(() => closeServer(server));

const unused = (() => Promise.reject(new Error('fallback used'))) as typeof fetch;

describe('plainHttpFetch', () => {
  it('sends method, headers and body over node:http and answers a Response with status, headers and body', async () => {
    const f = plainHttpFetch(unused);
    const res = await f(`${base}/tools/ping/execute`, {
      method: 'POST',
      headers: { authorization: 'Bearer t', 'content-type': 'application/json' },
      body: '{"a":1}',
    });
    expect(res.status).toBe(200);
    expect(res.ok).toBe(true);
    expect(res.headers.get('x-two')).toBe('a');
    expect(await res.json()).toEqual({ echo: '{"a":1}' });
    expect(seen.at(-1)).toMatchObject({ method: 'POST', url: '/tools/ping/execute', auth: 'Bearer t', body: '{"a":1}' });
  });

  it('answers error statuses and bodyless ones as fetch does', async () => {
    const f = plainHttpFetch(unused);
    const missing = await f(`${base}/missing`, { headers: {} });
    expect(missing.status).toBe(404);
    expect(missing.ok).toBe(false);
    const empty = await f(`${base}/empty`, { method: 'DELETE', headers: {} });
    expect(empty.status).toBe(204);
    expect(empty.body).toBeNull();
  });

  it('fails like fetch when nothing listens: TypeError with the socket error as cause', async () => {
    const probe = createServer();
    const port = await listenLoopback(probe);
    await closeServer(probe);
    const err = await plainHttpFetch(unused)(`http://127.0.0.1:${port}/tools`, { headers: {} }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TypeError);
    expect((err as { cause?: { code?: string } }).cause?.code).toBe('ECONNREFUSED');
  });

  it("keeps the connection alive: the runner's claim, heartbeat and complete reuse one socket (no handshake per call)", async () => {
    const f = plainHttpFetch(unused);
    const ports: Array<number | undefined> = [];
    for (const path of ['/runner/claim', '/runner/jobs/j1/heartbeat', '/runner/jobs/j1/complete']) {
      const body = JSON.stringify({ leaseId: 'l1', outcome: { status: 'succeeded', result: { text: 'é'.repeat(3000) }, durationMs: 1.5 } });
      const res = await f(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      expect(((await res.json()) as { echo: string }).echo).toBe(body); // a multi-byte body larger than a packet arrives whole
      ports.push(seen.at(-1)?.port);
    }
    expect(ports[0]).toBeDefined();
    expect(new Set(ports).size).toBe(1);
  });

  it('fails like fetch when the server drops the connection without an answer', async () => {
    const err = await plainHttpFetch(unused)(`${base}/reset`, { method: 'POST', headers: {}, body: '{}' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TypeError);
    expect((err as Error).message).toBe('fetch failed');
    expect((err as { cause?: { code?: string } }).cause?.code).toBe('ECONNRESET');
  });

  it('rejects with the signal reason when aborted', async () => {
    const stop = new AbortController();
    const pending = plainHttpFetch(unused)(`${base}/hang`, { method: 'POST', headers: {}, body: '{}', signal: stop.signal });
    stop.abort(new Error('caller gave up'));
    await expect(pending).rejects.toThrow('caller gave up');
  });

  it('leaves HTTPS (event streams too) and non-string bodies to the fallback; plain-HTTP event streams: http-stream.test.ts', async () => {
    const used: string[] = [];
    const fallback = ((input: string) => {
      used.push(input);
      return Promise.resolve(new Response('{}'));
    }) as unknown as typeof fetch;
    const f = plainHttpFetch(fallback);
    await f('https://127.0.0.1:1/events', { headers: { accept: 'text/event-stream' } });
    await f('https://127.0.0.1:1/tools', { headers: {} });
    await f(`${base}/x`, { method: 'POST', headers: {}, body: new Uint8Array([1]) });
    expect(used).toEqual(['https://127.0.0.1:1/events', 'https://127.0.0.1:1/tools', `${base}/x`]);
  });
});
