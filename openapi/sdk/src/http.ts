import { NetdiagTransportError, errorFrom } from './errors';

export interface Transport {
  baseUrl: string;
  /** One call: JSON in, JSON out; a non-2xx answer throws NetdiagError, no answer NetdiagTransportError. */
  json<T>(method: string, path: string, init?: { body?: unknown; headers?: Record<string, string>; signal?: AbortSignal | undefined }): Promise<T>;
  /** A streaming GET (server-sent events); the caller reads the body. `lastEventId` resumes after that event. */
  stream(path: string, signal: AbortSignal, lastEventId?: string): Promise<ReadableStream<Uint8Array>>;
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
    async json<T>(method: string, path: string, init: { body?: unknown; headers?: Record<string, string>; signal?: AbortSignal | undefined } = {}): Promise<T> {
      const hasBody = init.body !== undefined;
      const response = await send(path, {
        method,
        headers: { ...auth, ...(hasBody ? { 'content-type': 'application/json' } : {}), ...init.headers },
        ...(hasBody ? { body: JSON.stringify(init.body) } : {}),
        ...(init.signal ? { signal: init.signal } : {}),
      });
      return (await response.json()) as T;
    },
    async stream(path: string, signal: AbortSignal, lastEventId?: string): Promise<ReadableStream<Uint8Array>> {
      const resume: Record<string, string> = lastEventId !== undefined ? { 'last-event-id': lastEventId } : {};
      const response = await send(path, { headers: { ...auth, accept: 'text/event-stream', ...resume }, signal });
      if (!response.body) throw new Error(`${path}: the API sent no event stream`);
      return response.body;
    },
  };
}
