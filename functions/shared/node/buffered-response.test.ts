import { describe, expect, it } from 'vitest';
import { BufferedResponse } from './buffered-response';

// Buffer.from of a short string is a view into Node's shared 8 KB pool: what is read must be these bytes only.
const pooled = (s: string): Buffer => Buffer.from(s, 'utf8');
const init = { status: 409, statusText: 'Conflict', headers: new Headers({ 'content-type': 'application/json', 'retry-after': '2' }) };

describe('BufferedResponse', () => {
  it('is a Response with the status, text and headers given', async () => {
    const r = new BufferedResponse(pooled('{"error":{"code":"LEASE_CONFLICT"}}'), init);
    expect(r).toBeInstanceOf(Response);
    expect([r.status, r.ok, r.statusText, r.headers.get('retry-after')]).toEqual([409, false, 'Conflict', '2']);
    expect(await r.json()).toEqual({ error: { code: 'LEASE_CONFLICT' } });
  });

  it('reads its body once, as fetch does: a second read is a TypeError', async () => {
    const r = new BufferedResponse(pooled('{"a":"é"}'), init);
    expect(r.bodyUsed).toBe(false);
    expect(await r.text()).toBe('{"a":"é"}');
    expect(r.bodyUsed).toBe(true);
    await expect(r.json()).rejects.toThrow(TypeError);
    expect(() => r.clone()).toThrow(TypeError);
  });

  it('gives exactly its own bytes from a pooled Buffer (arrayBuffer, blob, body stream, clone)', async () => {
    const bytes = pooled('{"x":1}');
    expect(bytes.buffer.byteLength).toBeGreaterThan(bytes.length); // the premise: a view into a larger buffer
    const r = new BufferedResponse(bytes, init);
    const copy = r.clone();
    expect(new TextDecoder().decode(await r.arrayBuffer())).toBe('{"x":1}');
    expect(await (await copy.clone().blob()).text()).toBe('{"x":1}');
    expect(await new Response(copy.body).text()).toBe('{"x":1}');
  });

  it('turns rawHeaders into its headers when they are first read: each once, repeated names kept', async () => {
    const rawHeaders = ['Content-Type', 'application/json', 'Set-Cookie', 'a=1', 'Set-Cookie', 'b=2', 'X-Request-Id', 'abc'];
    const r = new BufferedResponse(pooled('{"x":1}'), { status: 200, statusText: 'OK', rawHeaders });
    expect(r.headers.get('x-request-id')).toBe('abc');
    expect(r.headers.get('x-request-id')).toBe('abc'); // read again: not appended twice
    expect(r.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
    expect(r.clone().headers.get('content-type')).toBe('application/json');
    expect((await r.blob()).type).toBe('application/json');
  });

  it('answers a malformed body with the SyntaxError of JSON.parse', async () => {
    await expect(new BufferedResponse(pooled('<html>'), init).json()).rejects.toThrow(SyntaxError);
  });
});
