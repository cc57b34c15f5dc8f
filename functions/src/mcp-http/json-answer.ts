/**
 * The answer to a /mcp POST as `application/json` instead of the transport's one-event stream (single-answer.ts,
 * answer-tap.ts; issue 12): the stream's status and headers, less those that describe the event stream.
 */
const STREAM_ONLY_HEADERS: ReadonlySet<string> = new Set(['content-type', 'content-length', 'connection', 'x-accel-buffering']);

/** `body` (one JSON-RPC response, serialised) in place of `stream`'s event stream. */
export function jsonAnswer(stream: Response, body: string | Uint8Array<ArrayBuffer>): Response {
  const headers: Record<string, string> = {};
  stream.headers.forEach((value, name) => {
    if (!STREAM_ONLY_HEADERS.has(name)) headers[name] = value;
  });
  headers['content-type'] = 'application/json';
  return new Response(body, { status: stream.status, headers });
}
