/**
 * A /mcp POST answered with exactly one JSON-RPC response and nothing else goes out as `application/json` instead of
 * a one-event `text/event-stream` (issue 12: MCP over HTTP vs REST). The SDK transport opens an event stream for
 * every POST that carries a request, because it cannot know ahead whether the call will send progress,
 * log messages or an elicitation first; an event stream costs both ends more than a JSON body (a web stream on
 * each side, chunked framing, and the client's SSE parser). Streamable HTTP lets the server answer a POST either way
 * (the client must accept both), so this looks at what the stream actually carries:
 * - its first event is the final response and the stream ends right after it: that response, as JSON;
 * - anything else (a notification or a server request first, a second event, an event id, a comment): the stream
 *   as the transport made it, with the bytes already read put back in front.
 * Nothing about sessions, authentication or scopes changes here; only the framing of the answer.
 */

import { concatBytes } from './concat-bytes';
import { jsonAnswer } from './json-answer';

const SSE = 'text/event-stream';
/** How much of a stream is held while looking for its first event; a larger first event is passed on as a stream. */
const MAX_HELD_BYTES = 4 * 1024 * 1024;

/**
 * In `chunk`, the index just past the first blank line ("\n\n"), `before` being the byte the stream had just before
 * it (0 at the start); or -1. Each chunk is scanned once, however many the first event spans. The SDK frames every
 * event with "\n"; never "\r".
 */
function blankLineEnd(chunk: Uint8Array, before: number): number {
  let previous = before;
  for (let i = 0; i < chunk.length; i += 1) {
    const byte = chunk[i] ?? 0;
    if (byte === 10 && previous === 10) return i + 1;
    previous = byte;
  }
  return -1;
}

/** The data of an event that is exactly `event: message` + one `data:` line holding a JSON-RPC response; else undefined. */
function finalResponseData(event: string): string | undefined {
  const lines = event.split('\n');
  if (lines.length !== 4 || lines[0] !== 'event: message' || lines[2] !== '' || lines[3] !== '') return undefined;
  const dataLine = lines[1] ?? '';
  if (!dataLine.startsWith('data: ')) return undefined;
  const data = dataLine.slice('data: '.length);
  try {
    const message = JSON.parse(data) as unknown;
    if (typeof message !== 'object' || message === null || Array.isArray(message)) return undefined;
    const m = message as Record<string, unknown>;
    return 'id' in m && !('method' in m) && ('result' in m || 'error' in m) ? data : undefined;
  } catch {
    return undefined;
  }
}

/** The transport's stream again: the bytes already read first, then the rest; a cancel reaches the transport. */
function replay(response: Response, held: readonly Uint8Array[], reader: ReadableStreamDefaultReader<Uint8Array>): Response {
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of held) controller.enqueue(chunk);
    },
    async pull(controller) {
      const next = await reader.read();
      if (next.done) controller.close();
      else controller.enqueue(next.value);
    },
    cancel: (reason) => reader.cancel(reason),
  });
  return new Response(body, { status: response.status, headers: response.headers });
}

/**
 * `response` as JSON when its event stream holds only the final response (see above); else unchanged in content.
 * `signal` is the caller's request: if it goes away while the first event is awaited, the transport's stream is
 * cancelled, as it would have been had the stream already been handed out.
 */
export async function answerSingleAsJson(response: Response, signal: AbortSignal): Promise<Response> {
  if (!response.body || !(response.headers.get('content-type') ?? '').startsWith(SSE)) return response;
  const reader = response.body.getReader();
  const cancel = (): void => void reader.cancel(signal.reason).catch(() => undefined);
  if (signal.aborted) cancel();
  else signal.addEventListener('abort', cancel, { once: true });
  try {
    const held: Uint8Array[] = [];
    let heldBytes = 0;
    let end = -1;
    let last = 0; // the stream's last byte so far
    while (end < 0) {
      const next = await reader.read();
      if (next.done) return new Response(concatBytes(held), { status: response.status, headers: response.headers });
      const chunk = next.value;
      held.push(chunk);
      heldBytes += chunk.byteLength;
      if (heldBytes > MAX_HELD_BYTES) return replay(response, held, reader);
      const at = blankLineEnd(chunk, last);
      if (at >= 0) end = heldBytes - chunk.byteLength + at;
      last = chunk.byteLength > 0 ? (chunk[chunk.byteLength - 1] ?? 0) : last;
    }
    const bytes = held.length === 1 ? (held[0] as Uint8Array) : concatBytes(held);
    const data = end === bytes.length ? finalResponseData(new TextDecoder().decode(bytes)) : undefined;
    if (data === undefined) return replay(response, held, reader);
    // The final response is out; the transport closes the stream in the same step, so this read ends at once.
    const after = await reader.read();
    if (!after.done) return replay(response, [...held, after.value], reader);
    return jsonAnswer(response, data);
  } finally {
    signal.removeEventListener('abort', cancel);
  }
}
