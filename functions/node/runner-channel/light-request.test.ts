import { describe, expect, it } from 'vitest';
import { inspect } from 'node:util';
import { lightRequest, withContentLength } from './light-request';

// The in-process request (light-request.ts) must read as the Request it replaces: the fields the app reads directly,
// everything else from a full Request made on demand, the body read once either way, the caller's signal as its own.
const URL_ = 'http://in-process.netdiag/tools/ping/execute?async=true';
const BODY = JSON.stringify({ target: 'héllo.lab', count: 1 });

function make(body: string | null = BODY, signal: AbortSignal = new AbortController().signal): ReturnType<typeof lightRequest> {
  const headers = withContentLength(new Headers({ authorization: 'Bearer t', 'content-type': 'application/json' }), body);
  return lightRequest(URL_, body === null ? 'GET' : 'POST', headers, body, { signal });
}

describe('LightRequest', () => {
  it('is a Request with the given url, method and headers, and the body length in bytes', () => {
    const request = make();
    expect(request instanceof Request).toBe(true);
    expect(request.url).toBe(URL_);
    expect(request.method).toBe('POST');
    expect(request.headers.get('authorization')).toBe('Bearer t');
    expect(request.headers.get('content-length')).toBe(String(new TextEncoder().encode(BODY).byteLength));
    expect(make(null).headers.get('content-length')).toBeNull();
  });

  it('hands out its body once, as text or JSON', async () => {
    const request = make();
    expect(request.bodyUsed).toBe(false);
    expect(await request.json()).toEqual(JSON.parse(BODY));
    expect(request.bodyUsed).toBe(true);
    await expect(request.text()).rejects.toThrow(TypeError);
    await expect(request.arrayBuffer()).rejects.toThrow(TypeError);
    expect(() => request.clone()).toThrow(TypeError);
  });

  it('answers the rest from a full Request: body stream, clone, arrayBuffer, blob, mode', async () => {
    const stream = make();
    expect(await new Response(stream.body).text()).toBe(BODY);
    expect(stream.bodyUsed).toBe(true);
    const cloned = make().clone();
    expect(cloned.method).toBe('POST');
    expect(cloned.headers.get('authorization')).toBe('Bearer t');
    expect(await cloned.text()).toBe(BODY);
    expect(new TextDecoder().decode(await make().arrayBuffer())).toBe(BODY);
    expect((await make().blob()).type).toBe('application/json');
    expect(make().mode).toBe('cors');
    const get = make(null);
    expect(get.body).toBeNull();
    expect(await get.text()).toBe('');
  });

  it("has the caller's signal as its own, also in the full Request", () => {
    const caller = new AbortController();
    const request = make(BODY, caller.signal);
    expect(request.signal).toBe(caller.signal);
    const full = request.clone();
    caller.abort(new DOMException('gone', 'AbortError'));
    expect(full.signal.aborted).toBe(true);
  });
});

describe('LightRequest, every other member of a Request', () => {
  it('answers each getter and method Request.prototype has, and shows itself to util.inspect without throwing', async () => {
    const request = make();
    for (const name of Reflect.ownKeys(Request.prototype)) {
      const member = Object.getOwnPropertyDescriptor(Request.prototype, name);
      if (member?.get) expect(() => (request as unknown as Record<PropertyKey, unknown>)[name]).not.toThrow();
    }
    expect(request.cache).toBe('default');
    expect(inspect(request)).toBe('Request (light) {"method":"POST","url":"http://in-process.netdiag/tools/ping/execute?async=true"}');
    expect(await request.text()).toBe(BODY);
  });
});
