import { NetdiagTransportError, errorFrom } from './errors.js';

/** What every call may carry: a signal to abort it, and headers to add (e.g. W3C `traceparent`). */
export interface RequestOptions {
  signal?: AbortSignal | undefined;
  headers?: Readonly<Record<string, string>> | undefined;
}

export interface Transport {
  baseUrl: string;
  /** One call: JSON in, JSON out; a non-2xx answer throws NetdiagError, no answer NetdiagTransportError. */
  json<T>(method: string, path: string, init?: RequestOptions & { body?: unknown }): Promise<T>;
  /** A streaming GET (server-sent events); the caller reads the body. `lastEventId` resumes after that event. */
  stream(path: string, init: RequestOptions & { signal: AbortSignal; lastEventId?: string | undefined }): Promise<ReadableStream<Uint8Array>>;
}

export function createTransport(options: { baseUrl: string; token: string; fetch?: typeof fetch | undefined }): Transport {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const doFetch = options.fetch ?? globalThis.fetch;
  const auth = { authorization: `Bearer ${options.token}` };
  const send = async (path: string, init: RequestInit): Promise<Response> => {
    let response: Response;
    try {
      response = await doFetch(`${baseUrl}${path}`, init);
    } catch (err) {
      if (init.signal?.aborted) throw err;
      throw new NetdiagTransportError(baseUrl, err);
    }
    if (!response.ok) throw await errorFrom(response);
    return response;
  };
  return {
    baseUrl,
    async json<T>(method: string, path: string, init: RequestOptions & { body?: unknown } = {}): Promise<T> {
      const hasBody = init.body !== undefined;
      const response = await send(path, {
        method,
        headers: { ...init.headers, ...auth, ...(hasBody ? { 'content-type': 'application/json' } : {}) },
        ...(hasBody ? { body: JSON.stringify(init.body) } : {}),
        ...(init.signal ? { signal: init.signal } : {}),
      });
      return (await response.json()) as T;
    },
    async stream(path, init) {
      const resume: Record<string, string> = init.lastEventId !== undefined ? { 'last-event-id': init.lastEventId } : {};
      const response = await send(path, { headers: { ...init.headers, ...auth, accept: 'text/event-stream', ...resume }, signal: init.signal });
      if (!response.body) throw new Error(`${path}: the API sent no event stream`);
      return response.body;
    },
  };
}
