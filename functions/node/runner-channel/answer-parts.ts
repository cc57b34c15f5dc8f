/**
 * An app answer as the parts of an answer frame (status, rawHeaders-style header list, body text), without turning
 * node-server's lightweight Response into a web Response when it need not be (issue 12). node-server replaces the
 * global Response with one that keeps `[status, body, headers]` until someone reads it as a web Response; that is how
 * it writes a `c.json` answer in one step on REST. Reading `text()` instead builds the web Response and a body stream
 * and reads it back: ~0.3 ms from the claim's answer to its frame here. So a string body and its headers are taken
 * from that cache when it is there (found by its symbol's description, "cache"); anything else is read the standard
 * way. `extra`: headers the app set straight on the "outgoing" side (middleware/request-id.ts does on Node).
 */
const DEFAULT_TYPE = 'text/plain; charset=UTF-8';

let cacheSymbol: symbol | undefined;

function cacheOf(response: Response): [number, unknown, unknown] | undefined {
  if (cacheSymbol === undefined) {
    const found = Object.getOwnPropertySymbols(response).find((s) => s.description === 'cache');
    if (found === undefined) return undefined; // not a lightweight Response (yet): look again next time
    cacheSymbol = found;
  }
  const cache = (response as unknown as Record<symbol, unknown>)[cacheSymbol];
  return Array.isArray(cache) && cache.length === 3 ? (cache as [number, unknown, unknown]) : undefined;
}

function flatten(headers: unknown, out: string[]): boolean {
  if (headers instanceof Headers) headers.forEach((value, name) => out.push(name, value));
  else if (Array.isArray(headers)) for (const pair of headers as Array<[string, string]>) out.push(pair[0], pair[1]);
  else if (typeof headers === 'object' && headers !== null) {
    for (const [name, value] of Object.entries(headers as Record<string, unknown>)) {
      if (typeof value !== 'string') return false;
      out.push(name, value);
    }
  } else return false;
  return true;
}

export async function answerParts(response: Response, extra: readonly string[]): Promise<{ status: number; headers: string[]; body: string }> {
  const cache = cacheOf(response);
  if (cache && typeof cache[1] === 'string' && typeof cache[0] === 'number') {
    const headers = [...extra];
    if (cache[2] === undefined || cache[2] === null) headers.push('content-type', DEFAULT_TYPE);
    if (cache[2] == null || flatten(cache[2], headers)) return { status: cache[0], headers, body: cache[1] };
  }
  const body = await response.text();
  const headers = [...extra];
  response.headers.forEach((value, name) => headers.push(name, value));
  return { status: response.status, headers, body };
}
