import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createNetdiagClient } from '../../openapi/sdk/src/index';

// A real HTTP server on loopback playing the API's GET /jobs/{id}/events: the first stream ends early.
let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

function serve(handler: Parameters<typeof createServer>[1]): Promise<string> {
  server = createServer(handler);
  return new Promise((resolve) => server?.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server?.address() as AddressInfo).port}`)));
}

const frame = (id: string | undefined, event: string, data: object): string =>
  `${id !== undefined ? `id: ${id}\n` : ''}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

describe('jobs.events', () => {
  it('reopens a stream that ended before the job, after the last event seen, and stops at the end', async () => {
    const seen: Array<string | undefined> = [];
    const url = await serve((req, res) => {
      seen.push(req.headers['last-event-id'] as string | undefined);
      expect(req.headers.authorization).toBe('Bearer t');
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      if (seen.length === 1) {
        res.end(frame(undefined, 'state', { id: 'j1', status: 'running' }) + frame('7', 'job.claimed', { jobId: 'j1' }));
      } else {
        res.end(frame('8', 'job.progress', { jobId: 'j1' }) + frame('9', 'job.succeeded', { jobId: 'j1' }) + frame('10', 'job.queued', { jobId: 'never' }));
      }
    });
    const client = createNetdiagClient({ baseUrl: url, token: 't' });
    const types: string[] = [];
    for await (const event of client.jobs.events('j1')) types.push(event.type);
    expect(types).toEqual(['state', 'job.claimed', 'job.progress', 'job.succeeded']);
    expect(seen).toEqual([undefined, '7']);
  });

  it('ends at once when the first state is already final', async () => {
    let opened = 0;
    const url = await serve((_req, res) => {
      opened += 1;
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(frame(undefined, 'state', { id: 'j2', status: 'cancelled' }));
      // Held open: the client must stop reading by itself.
    });
    const client = createNetdiagClient({ baseUrl: url, token: 't' });
    const types: string[] = [];
    for await (const event of client.jobs.events('j2')) types.push(event.type);
    expect(types).toEqual(['state']);
    expect(opened).toBe(1);
    server?.closeAllConnections();
  });

  it('turns an error answer into a NetdiagError with the API code', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'NOT_FOUND', message: 'No job j3.', recoverySuggestion: 'List your jobs with GET /jobs.' } }));
    });
    const client = createNetdiagClient({ baseUrl: url, token: 't' });
    const err = await client.jobs.get('j3').catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'NetdiagError', status: 404, code: 'NOT_FOUND', recoverySuggestion: 'List your jobs with GET /jobs.' });
  });
});

describe('client.tools', () => {
  it('is not a thenable and starts no call when awaited or serialised', async () => {
    let calls = 0;
    const url = await serve((_req, res) => {
      calls += 1;
      res.writeHead(500).end();
    });
    const client = createNetdiagClient({ baseUrl: url, token: 't' });
    expect(await client.tools).toBe(client.tools);
    expect(JSON.stringify(client.tools)).toBe('{}');
    expect(calls).toBe(0);
  });
});

describe('call options', () => {
  it('send the idempotency key, extra headers and list filters; the token cannot be replaced by a header', async () => {
    const seen: Array<{ url: string | undefined; key: unknown; trace: unknown; auth: unknown }> = [];
    const url = await serve((req, res) => {
      seen.push({ url: req.url, key: req.headers['idempotency-key'], trace: req.headers['traceparent'], auth: req.headers.authorization });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(req.url?.startsWith('/jobs') ? { jobs: [] } : { jobId: 'j', status: 'succeeded', result: {} }));
    });
    const client = createNetdiagClient({ baseUrl: url, token: 't' });
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    await client.call('ping', { target: '127.0.0.1' }, { idempotencyKey: 'k1', headers: { traceparent, authorization: 'Bearer other' } });
    await client.jobs.start('ping', { target: '127.0.0.1' }, { idempotencyKey: 'k2' });
    await client.jobs.list({ limit: 5, status: 'running' });
    expect(seen).toEqual([
      { url: '/tools/ping/execute', key: 'k1', trace: traceparent, auth: 'Bearer t' },
      { url: '/tools/ping/execute?async=true', key: 'k2', trace: undefined, auth: 'Bearer t' },
      { url: '/jobs?status=running&limit=5', key: undefined, trace: undefined, auth: 'Bearer t' },
    ]);
  });
});

describe('events()', () => {
  it('resolves when the stream opens, before any event, and yields the events as they come', async () => {
    let send: ((chunk: string) => void) | undefined;
    const url = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(': open\n\n');
      send = (chunk) => res.end(chunk);
    });
    const client = createNetdiagClient({ baseUrl: url, token: 't' });
    const events = await client.events();
    expect(send).toBeDefined();
    send?.(frame('41', 'tools.changed', { tool: 'nmap' }));
    const got: unknown[] = [];
    for await (const event of events) got.push(event);
    expect(got).toEqual([{ type: 'tools.changed', id: '41', data: { tool: 'nmap' } }]);
  });

  it('asks the API for only the given types (?types=), and for all without them', async () => {
    const urls: Array<string | undefined> = [];
    const url = await serve((req, res) => {
      urls.push(req.url);
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end();
    });
    const client = createNetdiagClient({ baseUrl: url, token: 't' });
    for await (const _ of await client.events({ types: ['tools.list_changed', 'runner.*'] })) break;
    for await (const _ of await client.events()) break;
    expect(urls).toEqual(['/events?types=tools.list_changed,runner.*', '/events']);
  });

  it('throws NetdiagError when the API refuses the stream', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(403, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'FORBIDDEN', message: 'No.', recoverySuggestion: 'Use a token with tools:read.' } }));
    });
    const client = createNetdiagClient({ baseUrl: url, token: 't' });
    await expect(client.events()).rejects.toMatchObject({ name: 'NetdiagError', status: 403, code: 'FORBIDDEN' });
  });
});
