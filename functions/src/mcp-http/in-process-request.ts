/**
 * The Request the /mcp port hands to the app in process (in-process-port.ts): a text body is kept as the text, with
 * its Content-Length, instead of being turned into a body stream. A network request arrives with its length and is
 * read in one piece (json-body.ts, ratelimit/args-size-limit.ts); a plain `new Request(url, { body })` has no
 * Content-Length, so the size limit counted it through hono's bodyLimit, which builds a second Request around the
 * bytes, and the route then read it back through that stream: two Requests with a web stream each, ~0.1 ms of CPU
 * per tools/call on a small VM (issue 12: MCP over HTTP vs REST). Everything else is a normal Request: headers,
 * method, URL and the caller's signal; `body` (a stream) is still there for any reader that asks for it.
 */
const encoder = new TextEncoder();

/** The origin of the /mcp port's in-process requests: never resolved or connected to, only parsed by the app's router. */
export const IN_PROCESS_BASE_URL = 'http://in-process.netdiag';

/** The headers with the body's Content-Length: a plain record stays one (the Request fills its Headers once from it). */
function withLength(headers: HeadersInit | undefined, length: number): HeadersInit {
  if (headers === undefined || (!(headers instanceof Headers) && !Array.isArray(headers))) {
    const record: Record<string, string> = {};
    for (const [name, value] of Object.entries(headers ?? {})) if (name.toLowerCase() !== 'content-length') record[name] = value;
    record['content-length'] = String(length);
    return record;
  }
  const copy = new Headers(headers);
  copy.set('content-length', String(length));
  return copy;
}

export class InProcessRequest extends Request {
  readonly #text: string | undefined;
  /** Set once the text is read or handed out as a stream (`body`), as a Request's body is read once. */
  #used = false;
  #stream: ReadableStream<Uint8Array<ArrayBuffer>> | null = null;

  constructor(input: RequestInfo | URL, init?: RequestInit) {
    const body = init?.body;
    if (typeof body !== 'string') {
      super(input, init);
      return;
    }
    super(input, { ...init, body: null, headers: withLength(init?.headers, encoder.encode(body).byteLength) });
    this.#text = body;
  }

  override get body(): ReadableStream<Uint8Array<ArrayBuffer>> | null {
    if (this.#text === undefined) return super.body;
    if (!this.#used) {
      this.#used = true;
      this.#stream = new Response(this.#text).body;
    }
    return this.#stream;
  }

  override get bodyUsed(): boolean {
    return this.#text === undefined ? super.bodyUsed : this.#used && (this.#stream === null || this.#stream.locked);
  }

  /** The text, read once: straight from memory, or from the stream when `body` was handed out first. */
  override text(): Promise<string> {
    if (this.#text === undefined) return super.text();
    if (this.#stream) return new Response(this.#stream).text();
    if (this.#used) return Promise.reject(new TypeError('Body is unusable: Body has already been read'));
    this.#used = true;
    return Promise.resolve(this.#text);
  }

  override json(): Promise<unknown> {
    return this.text().then((text) => JSON.parse(text) as unknown);
  }

  override arrayBuffer(): Promise<ArrayBuffer> {
    return this.text().then((text) => encoder.encode(text).buffer);
  }

  override bytes(): Promise<Uint8Array<ArrayBuffer>> {
    return this.text().then((text) => encoder.encode(text));
  }

  override blob(): Promise<Blob> {
    return this.text().then((text) => new Blob([text], { type: this.headers.get('content-type') ?? '' }));
  }

  override formData(): Promise<FormData> {
    return this.text().then((text) => new Response(text, { headers: this.headers }).formData());
  }

  override clone(): Request {
    if (this.#text === undefined) return super.clone();
    if (this.#used) throw new TypeError('Body is unusable: Body has already been read');
    return new InProcessRequest(this.url, { method: this.method, headers: this.headers, body: this.#text, signal: this.signal });
  }
}
