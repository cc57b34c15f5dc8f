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

  constructor(bytes: Buffer, init: ResponseInit) {
    super(null, init);
    this.#bytes = bytes;
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
    return JSON.parse(await this.text()) as unknown;
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

/** The bytes in an ArrayBuffer of their own (a Buffer may be a view into a larger, shared one). */
function copyOf(bytes: Buffer): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length) as ArrayBuffer;
}
