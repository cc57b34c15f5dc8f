/**
 * A Response over a body already read into memory (http-fetch.ts). `new Response(buffer)` wraps the bytes in a web
 * ReadableStream that `json()` then reads back chunk by chunk; for the small JSON answers of the runner protocol and the
 * shim's calls that stream is most of the Response's cost (~25–35 µs CPU per call here, against ~4 µs without; issue
 * 12). So the body is kept as the Buffer: `text()`, `json()` and `arrayBuffer()` read it directly, and `body` makes the
 * stream only when someone asks for it. Like fetch's Response, text/json/arrayBuffer/blob read the body once (then TypeError).
 */
export class BufferedResponse extends Response {
  readonly #bytes: Buffer;
  #used = false;
  #stream: ReadableStream<Uint8Array<ArrayBuffer>> | undefined;
  #rawHeaders: readonly string[] | undefined;

  /**
   * `rawHeaders` (name, value, name, value… as node:http gives them) become `headers` when someone first reads them:
   * a JSON call that succeeds never does, and building a Headers object (and the Response copying it) cost ~0.1 ms of
   * each runner claim answer here (issue 12).
   */
  constructor(bytes: Buffer, init: ResponseInit & { rawHeaders?: readonly string[] }) {
    const { rawHeaders, ...rest } = init;
    super(null, rest);
    this.#bytes = bytes;
    this.#rawHeaders = rawHeaders;
  }

  override get headers(): Headers {
    const headers = responseHeaders.call(this);
    const raw = this.#rawHeaders;
    if (raw) {
      this.#rawHeaders = undefined;
      for (let i = 0; i + 1 < raw.length; i += 2) headers.append(raw[i] ?? '', raw[i + 1] ?? '');
    }
    return headers;
  }

  override get bodyUsed(): boolean {
    return this.#used;
  }

  override get body(): ReadableStream<Uint8Array<ArrayBuffer>> {
    const bytes = this.#bytes;
    this.#stream ??= new ReadableStream({
      start(controller) {
        if (bytes.length > 0) controller.enqueue(new Uint8Array(copyOf(bytes)));
        controller.close();
      },
    });
    return this.#stream;
  }

  override async text(): Promise<string> {
    return this.#take().toString('utf8');
  }

  override async json(): Promise<unknown> {
    return JSON.parse(this.#take().toString('utf8')) as unknown;
  }

  override async arrayBuffer(): Promise<ArrayBuffer> {
    return copyOf(this.#take());
  }

  override async blob(): Promise<Blob> {
    return new Blob([await this.arrayBuffer()], { type: this.headers.get('content-type') ?? '' });
  }

  override clone(): Response {
    if (this.#used) throw new TypeError('Response.clone: Body has already been consumed.');
    return new BufferedResponse(this.#bytes, { status: this.status, statusText: this.statusText, headers: this.headers });
  }

  #take(): Buffer {
    if (this.#used) throw new TypeError('Body is unusable: Body has already been read');
    this.#used = true;
    return this.#bytes;
  }
}

/** Response's own `headers` getter (the subclass adds the raw headers to what it returns). */
const responseHeaders = Object.getOwnPropertyDescriptor(Response.prototype, 'headers')?.get as (this: Response) => Headers;

/** The bytes in an ArrayBuffer of their own (a Buffer may be a view into a larger, shared one). */
function copyOf(bytes: Buffer): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length) as ArrayBuffer;
}
