import { type Server, type ServerResponse, createServer } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plainHttpFetch } from './http-fetch';
import { closeServer, listenLoopback } from '../../../test/helpers/native-test-support';

// A real HTTP server on loopback sending server-sent events the way the API does: an open stream, events written one by one.
let server: Server;
let base: string;
let open: ServerResponse | undefined;
const closed: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    req.on('close', () => closed.push(req.url ?? ''));
    if (req.url === '/missing') {
      res.writeHead(404, { 'content-type': 'application/json' });
      return void res.end(JSON.stringify({ error: { code: 'NOT_FOUND' } }));
    }
    if (req.url === '/ended') {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      return void res.end('event: done\ndata: {}\n\n');
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'x-seen-accept': req.headers.accept ?? '' });
    res.write('event: first\ndata: {"n":1}\n\n');
    open = res;
  });
  base = `http://127.0.0.1:${await listenLoopback(server)}`;
});
afterAll(() => closeServer(server));

const unused = (() => Promise.reject(new Error('fallback used'))) as typeof fetch;
const sse = { accept: 'text/event-stream', authorization: 'Bearer t' };
const text = (chunk: Uint8Array | undefined): string => new TextDecoder().decode(chunk);
const until = async (check: () => boolean): Promise<void> => {
  for (let i = 0; i < 200 && !check(); i += 1) await new Promise((r) => setTimeout(r, 10));
};

describe('plainHttpFetch, event streams over node:http', () => {
  it('answers at the headers and streams each event as the server writes it, without the fallback', async () => {
    const stop = new AbortController();
    const res = await plainHttpFetch(unused)(`${base}/events`, { headers: sse, signal: stop.signal });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    expect(res.headers.get('x-seen-accept')).toBe('text/event-stream');
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    expect(text((await reader.read()).value)).toBe('event: first\ndata: {"n":1}\n\n');
    open?.write('event: second\ndata: {"n":2}\n\n'); // written only after the first was read: the body is not buffered to the end
    expect(text((await reader.read()).value)).toBe('event: second\ndata: {"n":2}\n\n');
    stop.abort(new Error('done following'));
    await expect(reader.read()).rejects.toThrow('done following');
    await until(() => closed.includes('/events'));
    expect(closed).toContain('/events');
  });

  it('ends the body when the server ends the stream', async () => {
    const res = await plainHttpFetch(unused)(`${base}/ended`, { headers: sse });
    expect(await res.text()).toBe('event: done\ndata: {}\n\n');
  });

  it('closes the connection when the reader cancels the body', async () => {
    closed.length = 0;
    const res = await plainHttpFetch(unused)(`${base}/cancelled`, { headers: sse });
    await res.body?.cancel();
    await until(() => closed.includes('/cancelled'));
    expect(closed).toContain('/cancelled');
  });

  it("answers a refusal with its status and JSON body, as the SDK's error envelope reads it", async () => {
    const res = await plainHttpFetch(unused)(`${base}/missing`, { headers: sse });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: 'NOT_FOUND' } });
  });

  it('rejects with the signal reason when aborted before any answer, and like fetch when nothing listens', async () => {
    await expect(plainHttpFetch(unused)(`${base}/events`, { headers: sse, signal: AbortSignal.abort(new Error('gone')) })).rejects.toThrow('gone');
    const probe = createServer();
    const port = await listenLoopback(probe);
    await closeServer(probe);
    const err = await plainHttpFetch(unused)(`http://127.0.0.1:${port}/events`, { headers: sse }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TypeError);
    expect((err as { cause?: { code?: string } }).cause?.code).toBe('ECONNREFUSED');
  });
});
