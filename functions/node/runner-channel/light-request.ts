/**
 * A Request built the way node-server builds its own for a REST request (issue 12): what the app reads on every request
 * (url, method, headers, signal, the body as text or JSON) is kept as plain fields, and a full Request (InProcessRequest:
 * the body kept as text) is made only if something asks for more. Used for each request frame of the runner channel
 * (channel-request.ts); /mcp's tool calls, which were its first use, now call the route's functions without a request
 * (functions/src/tool-call/direct-call.ts). Constructing a web Request there (URL parse, Headers copy, an AbortSignal
 * following the caller's and its listener) was ~35–50 µs of CPU per request on a small VM, the largest single cost of
 * a runner's report arriving over the channel. The caller hands in what a Request would have checked: a URL in the form
 * the URL parser gives (the app routes on it as it is), a Headers (validated when built) with the body's Content-Length.
 */
import { InProcessRequest } from '../../src/mcp-http/in-process-request';

/** Where the request's signal comes from: a caller's signal, or one made only when the app asks for it. */
export interface SignalSource {
  readonly signal: AbortSignal;
}

const encoder = new TextEncoder();

/** `headers` plus the Content-Length of `body`, as a network request arrives with it (the size limit reads it). */
export function withContentLength(headers: Headers, body: string | null, byteLength = (text: string) => encoder.encode(text).byteLength): Headers {
  if (body !== null) headers.set('content-length', String(byteLength(body)));
  return headers;
}

export class LightRequest {
  readonly url: string;
  readonly method: string;
  readonly headers: Headers;
  readonly #text: string | null;
  readonly #signal: SignalSource;
  /** Set when the text was handed out by text()/json() before any full Request existed. */
  #read = false;
  #full: Request | undefined;

  constructor(url: string, method: 'GET' | 'POST', headers: Headers, text: string | null, signal: SignalSource) {
    this.url = url;
    this.method = method;
    this.headers = headers;
    this.#text = text;
    this.#signal = signal;
  }

  get signal(): AbortSignal {
    return this.#signal.signal;
  }

  text(): Promise<string> {
    if (this.#full) return this.#full.text();
    if (this.#read || this.#text === null) return this.#materialize().text();
    this.#read = true;
    return Promise.resolve(this.#text);
  }

  json(): Promise<unknown> {
    return this.text().then((text) => JSON.parse(text) as unknown);
  }

  get body(): ReadableStream<Uint8Array> | null {
    return this.#materialize().body;
  }

  get bodyUsed(): boolean {
    return this.#full ? this.#full.bodyUsed : this.#read;
  }

  /** The same request as a full Request; a body already read by text() stays read in it. */
  #materialize(): Request {
    if (this.#full) return this.#full;
    const full = new InProcessRequest(this.url, { method: this.method, headers: this.headers, body: this.#text, signal: this.signal });
    if (this.#read) void full.text();
    this.#full = full;
    return full;
  }

  /** Every other member a Request has (in this runtime) from the full Request, as node-server's lightweight Request does. */
  static {
    const proto = LightRequest.prototype as unknown as Record<PropertyKey, unknown>;
    const full = (self: unknown): Record<PropertyKey, unknown> => (self as LightRequest).#materialize() as unknown as Record<PropertyKey, unknown>;
    // Shown by util.inspect (a log line) as what it is, without building the full Request.
    Object.defineProperty(proto, Symbol.for('nodejs.util.inspect.custom'), {
      value: function (this: LightRequest) {
        return `Request (light) ${JSON.stringify({ method: this.method, url: this.url })}`;
      },
    });
    for (const name of Reflect.ownKeys(Request.prototype)) {
      if (name === 'constructor' || Object.hasOwn(proto, name)) continue;
      const member = Object.getOwnPropertyDescriptor(Request.prototype, name);
      if (member?.get) {
        Object.defineProperty(proto, name, {
          get: function (this: unknown) {
            return full(this)[name];
          },
        });
      } else if (typeof member?.value === 'function') {
        Object.defineProperty(proto, name, {
          value: function (this: unknown, ...args: unknown[]) {
            const request = full(this);
            return (request[name] as (...a: unknown[]) => unknown).apply(request, args);
          },
        });
      }
    }
    // `instanceof Request` holds, as for node-server's requests; every member a Request has is answered above or here.
    Object.setPrototypeOf(LightRequest.prototype, Request.prototype);
  }
}

/** A LightRequest typed as the Request it stands in for (it answers every member the app and hono read). */
export function lightRequest(url: string, method: 'GET' | 'POST', headers: Headers, text: string | null, signal: SignalSource): LightRequest & Request {
  return new LightRequest(url, method, headers, text, signal) as LightRequest & Request;
}
