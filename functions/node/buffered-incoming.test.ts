import { type ServerType, serve } from '@hono/node-server';
import { Hono } from 'hono';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BufferedIncomingMessage } from './buffered-incoming';

/** Counts the requests whose body was read in one step (rawBody); the others were streamed by node-server. */
let inOneStep = 0;
const counted = new WeakSet<object>();
class Counting extends BufferedIncomingMessage {
  override get rawBody(): Buffer | undefined {
    const body = super.rawBody;
    if (body && !counted.has(this)) {
      counted.add(this);
      inOneStep += 1;
    }
    return body;
  }
}

let server: ServerType;
let port = 0;

beforeAll(async () => {
  const app = new Hono();
  // As in the API: the body is read after a few promise turns (auth, rate and size checks).
  app.post('/echo', async (c) => {
    await Promise.resolve();
    return c.text(await c.req.text());
  });
  app.post('/json', async (c) => {
    await Promise.resolve();
    return c.json({ got: await c.req.json() });
  });
  // Read at once, before the parser has seen the body: node-server streams it.
  app.post('/at-once', async (c) => c.text(await c.req.text()));
  server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0, serverOptions: { IncomingMessage: Counting } });
  await new Promise<void>((resolve) => server.once('listening', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** POST `parts` with a pause between them; chunked unless `length` is given. */
function post(path: string, parts: readonly string[], length?: number): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { 'content-type': 'application/json' };
    if (length !== undefined) headers['content-length'] = length;
    const req = http.request({ host: '127.0.0.1', port, method: 'POST', path, headers, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    const [first, ...rest] = parts;
    if (rest.length === 0) {
      req.end(first);
      return;
    }
    req.write(first ?? '');
    let i = 0;
    const next = (): void => {
      const part = rest[i++];
      if (i === rest.length) req.end(part);
      else {
        req.write(part ?? '');
        setTimeout(next, 30);
      }
    };
    setTimeout(next, 30);
  });
}

describe('BufferedIncomingMessage', () => {
  it('hands a body that arrived whole to node-server in one step', async () => {
    const body = JSON.stringify({ target: '127.0.0.1', count: 1, note: 'é ✓' });
    const before = inOneStep;
    const res = await post('/json', [body], Buffer.byteLength(body));
    expect(res).toEqual({ status: 200, text: JSON.stringify({ got: JSON.parse(body) }) });
    expect(inOneStep).toBe(before + 1);
  });

  it('reads an empty body with a Content-Length of 0', async () => {
    expect(await post('/echo', [''], 0)).toEqual({ status: 200, text: '' });
  });

  it('streams a body still arriving: Content-Length sent in two parts', async () => {
    const before = inOneStep;
    const res = await post('/echo', ['{"a":', '1}'], 7);
    expect(res).toEqual({ status: 200, text: '{"a":1}' });
    expect(inOneStep).toBe(before);
  });

  it('streams a chunked body', async () => {
    const before = inOneStep;
    expect(await post('/echo', ['{"a":', '2', '}'])).toEqual({ status: 200, text: '{"a":2}' });
    expect(inOneStep).toBe(before);
  });

  it('leaves a body read before it was complete to node-server', async () => {
    const body = 'x'.repeat(100);
    expect(await post('/at-once', [body], body.length)).toEqual({ status: 200, text: body });
  });

  it('leaves a body over 64 KiB to node-server', async () => {
    const body = JSON.stringify({ blob: 'z'.repeat(70_000) });
    const before = inOneStep;
    const res = await post('/json', [body], Buffer.byteLength(body));
    expect(res.status).toBe(200);
    expect((JSON.parse(res.text) as { got: { blob: string } }).got.blob).toHaveLength(70_000);
    expect(inOneStep).toBe(before);
  });

  it('keeps the connection usable for the next request after a body handed out in one step', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const sockets = new Set<unknown>();
      for (let i = 0; i < 3; i += 1) {
        const body = JSON.stringify({ i });
        const text = await new Promise<string>((resolve, reject) => {
          const req = http.request(
            { host: '127.0.0.1', port, method: 'POST', path: '/json', agent, headers: { 'content-type': 'application/json', 'content-length': body.length } },
            (res) => {
              sockets.add(res.socket);
              let t = '';
              res.on('data', (d: Buffer) => (t += d.toString()));
              res.on('end', () => resolve(t));
            },
          );
          req.on('error', reject);
          req.end(body);
        });
        expect(JSON.parse(text)).toEqual({ got: { i } });
      }
      expect(sockets.size).toBe(1);
    } finally {
      agent.destroy();
    }
  });

  it('reads a large body that arrived in many segments', async () => {
    const body = JSON.stringify({ blob: 'y'.repeat(300_000) });
    const res = await post('/json', [body], Buffer.byteLength(body));
    expect(res.status).toBe(200);
    expect((JSON.parse(res.text) as { got: { blob: string } }).got.blob).toHaveLength(300_000);
  });
});
