import { type Agent, request } from 'node:http';

/** Statuses whose Response has no body (the Response constructor refuses one). */
const NO_BODY = new Set([204, 205, 304]);

/**
 * An event stream (GET with `accept: text/event-stream`) to a plain-HTTP API over node:http, answered as a fetch
 * Response whose body streams the bytes as they arrive. The shim follows GET /events for its whole life (and a job's
 * events when a client asks for progress): through fetch that is undici's HTTP client, whose first use compiles its
 * llhttp WebAssembly parser and then recompiles it with TurboFan on a background thread, ~150–250 ms of CPU in a young
 * shim on the 2-core machine of issue 12, overlapping its first tool calls. Over node:http the shim never starts that
 * client (docs/design.md, "MCP"). Like fetch: the promise settles when the status and headers are in; an aborted
 * signal rejects it with the signal's reason before that and errors the body after it; a connection that fails
 * rejects with TypeError('fetch failed', { cause }). Cancelling the body closes the connection.
 */
export function plainHttpStream(url: string, init: RequestInit, headers: Readonly<Record<string, string>>, agent: Agent): Promise<Response> {
  const signal = init.signal ?? undefined;
  return new Promise<Response>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const req = request(url, { method: init.method ?? 'GET', headers, agent }, (res) => {
      const pairs: Array<[string, string]> = [];
      for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) pairs.push([res.rawHeaders[i] ?? '', res.rawHeaders[i + 1] ?? '']);
      const status = res.statusCode ?? 502;
      const meta = { status, statusText: res.statusMessage ?? '', headers: pairs };
      if (NO_BODY.has(status)) {
        signal?.removeEventListener('abort', onAbort);
        res.resume();
        return resolve(new Response(null, meta));
      }
      let done = false;
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          const finish = (err?: unknown): void => {
            if (done) return;
            done = true;
            signal?.removeEventListener('abort', onAbort);
            if (err === undefined) controller.close();
            else controller.error(err);
          };
          res.on('data', (chunk: Buffer) => {
            if (!done) controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length));
          });
          res.on('end', () => finish());
          // Cut short: by the caller's signal (its reason, as fetch) or by the connection.
          const cut = (err?: Error): void => finish(signal?.aborted ? signal.reason : new TypeError('terminated', { cause: err }));
          res.on('error', cut);
          res.on('close', () => cut());
        },
        cancel() {
          done = true;
          signal?.removeEventListener('abort', onAbort);
          res.destroy();
        },
      });
      resolve(new Response(body, meta));
    });
    const onAbort = (): void => {
      req.destroy(signal?.reason instanceof Error ? signal.reason : undefined);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    req.on('error', (err) => {
      signal?.removeEventListener('abort', onAbort);
      reject(signal?.aborted ? signal.reason : new TypeError('fetch failed', { cause: err }));
    });
    req.end(typeof init.body === 'string' ? init.body : undefined);
  });
}
