import { describe, expect, it } from 'vitest';
import { InProcessRequest } from './in-process-request';

const BODY = JSON.stringify({ target: 'héllo.lab', count: 1 });
const make = (init: RequestInit = {}): InProcessRequest =>
  new InProcessRequest('http://in-process.test/tools/ping/execute', { method: 'POST', headers: { 'content-type': 'application/json' }, body: BODY, ...init });

describe('InProcessRequest', () => {
  it('carries the Content-Length of its text body (bytes, not characters) and reads it once', async () => {
    const r = make();
    expect(r.headers.get('content-length')).toBe(String(new TextEncoder().encode(BODY).byteLength));
    expect(r.headers.get('content-type')).toBe('application/json');
    expect(r.bodyUsed).toBe(false);
    expect(await r.json()).toEqual({ target: 'héllo.lab', count: 1 });
    expect(r.bodyUsed).toBe(true);
    await expect(r.text()).rejects.toThrow(/unusable/);
  });

  it('sets its own Content-Length over any the caller gave, from a header record or a Headers', () => {
    const length = String(new TextEncoder().encode(BODY).byteLength);
    expect(make({ headers: { 'Content-Length': '1', 'content-type': 'application/json' } }).headers.get('content-length')).toBe(length);
    expect(make({ headers: new Headers({ 'content-length': '1', authorization: 'Bearer t' }) }).headers.get('content-length')).toBe(length);
    expect(make({ headers: [['authorization', 'Bearer t']] }).headers.get('authorization')).toBe('Bearer t');
  });

  it('hands out its body as a stream to a reader that asks for one, and text() then reads that stream', async () => {
    const r = make();
    const body = r.body;
    expect(body).toBeInstanceOf(ReadableStream);
    expect(r.body).toBe(body);
    expect(await r.text()).toBe(BODY);
    const r2 = make();
    const read = await new Response(r2.body).text();
    expect(read).toBe(BODY);
    expect(r2.bodyUsed).toBe(true);
  });

  it('serves every body reader and clones with its body', async () => {
    expect(new TextDecoder().decode(await make().arrayBuffer())).toBe(BODY);
    expect(new TextDecoder().decode(await make().bytes())).toBe(BODY);
    expect(await (await make().blob()).text()).toBe(BODY);
    const original = make();
    const copy = original.clone();
    expect(copy).toBeInstanceOf(InProcessRequest);
    expect(await copy.text()).toBe(BODY);
    expect(await original.text()).toBe(BODY);
  });

  it('keeps method, URL, headers and the caller signal; without a text body it is a plain Request', async () => {
    const caller = new AbortController();
    const r = make({ signal: caller.signal, headers: { authorization: 'Bearer t', 'content-type': 'application/json' } });
    expect(r.method).toBe('POST');
    expect(r.url).toBe('http://in-process.test/tools/ping/execute');
    expect(r.headers.get('authorization')).toBe('Bearer t');
    caller.abort(new Error('gone'));
    expect(r.signal.aborted).toBe(true);
    const plain = new InProcessRequest('http://in-process.test/jobs', { method: 'GET' });
    expect(plain.headers.get('content-length')).toBeNull();
    expect(plain.body).toBeNull();
    const bytes = new InProcessRequest('http://in-process.test/x', { method: 'POST', body: new TextEncoder().encode('raw') });
    expect(await bytes.text()).toBe('raw');
  });
});
