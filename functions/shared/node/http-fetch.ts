import { Agent, request } from 'node:http';
import { BufferedResponse } from './buffered-response';
import { plainHttpStream } from './http-stream';

/** Statuses whose Response has no body (the Response constructor refuses one). */
const NO_BODY = new Set([204, 205, 304]);

const headerRecord = (h: HeadersInit | undefined): Record<string, string> | undefined =>
  h === undefined ? {} : h instanceof Headers || Array.isArray(h) ? undefined : (h as Record<string, string>);

/** node:http's rawHeaders (name, value, name, value…) as HeadersInit pairs. */
function headerPairs(raw: readonly string[]): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (let i = 0; i + 1 < raw.length; i += 2) pairs.push([raw[i] ?? '', raw[i + 1] ?? '']);
  return pairs;
}

/**
 * The JSON calls of the shim and the runner to a plain-HTTP API (npm start: http://127.0.0.1) over node:http with a
 * keep-alive agent instead of fetch: undici's fetch costs ~0.3 ms more CPU and wall time per loopback call here (web
 * streams, Request/Response objects), paid by the shim on each tools/call and by the runner on each claim answer and
 * each complete (issue 12; docs/design.md, "Runner transport"). Only what the SDK's transport sends for a JSON call
 * takes this path: a string URL, a string body or none, headers as a plain object; an event stream takes it too, its
 * body streamed (http-stream.ts: the shim then never starts undici's client). Everything else (HTTPS with its CA
 * checks and client certificates) goes to `fallback`, so TLS handling is unchanged.
 * Node's sockets have Nagle off (TCP_NODELAY, client and server), and the agent drops an idle socket a second before
 * the server's announced Keep-Alive timeout, so a reused socket is not one the server is closing.
 * Failures look like fetch's: TypeError('fetch failed') with the socket error as `cause` (what the SDK names), and
 * an aborted signal rejects with its reason. Unlike fetch it follows no redirect (the API sends none; a 3xx is then
 * an error answer) and asks for no compression (the API compresses nothing).
 */
export function plainHttpFetch(fallback: typeof fetch): typeof fetch {
  const agent = new Agent({ keepAlive: true });
  return (input, init = {}) => {
    const headers = headerRecord(init.headers);
    const url = typeof input === 'string' ? input : undefined;
    const body = init.body;
    const stream = headers !== undefined && /event-stream/.test(headers['accept'] ?? '');
    if (url === undefined || !url.startsWith('http://') || headers === undefined || (body != null && typeof body !== 'string')) {
      return fallback(input, init);
    }
    if (stream) return plainHttpStream(url, init, headers, agent);
    const signal = init.signal ?? undefined;
    return new Promise<Response>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const req = request(url, { method: init.method ?? 'GET', headers, agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', (err) => reject(new TypeError('fetch failed', { cause: err })));
        res.on('end', () => {
          signal?.removeEventListener('abort', onAbort);
          const status = res.statusCode ?? 502;
          const statusText = res.statusMessage ?? '';
          resolve(
            NO_BODY.has(status)
              ? new Response(null, { status, statusText, headers: headerPairs(res.rawHeaders) })
              : new BufferedResponse(Buffer.concat(chunks), { status, statusText, rawHeaders: res.rawHeaders }),
          );
        });
      });
      const onAbort = (): void => {
        req.destroy();
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      req.on('error', (err) => {
        signal?.removeEventListener('abort', onAbort);
        reject(signal?.aborted ? signal.reason : new TypeError('fetch failed', { cause: err }));
      });
      req.end(body ?? undefined);
    });
  };
}
