/**
 * The /mcp POST of one JSON-RPC request answered as `application/json` when its final response is the first thing
 * the server sends for it (issue 12: MCP over HTTP vs REST), learnt from the transport's own `send` rather than by
 * reading its event stream back (single-answer.ts, which still serves initialize and batches). The SDK transport
 * opens an event stream for every POST that carries a request, because it cannot know ahead whether the call will
 * send progress, log messages or an elicitation first; Streamable HTTP lets the server answer a POST either way (the
 * client must accept both). Reading the stream back cost a web Response around it, a reader, decoding and a second
 * JSON parse on every call; here the response message itself is serialised once more and the unread stream, which
 * the transport closes right after the final response, is left to the garbage collector.
 * - the final response comes first: that response, as JSON;
 * - a notification or a server request for it comes first: the stream as the transport made it (it holds that
 *   message and gets everything after it, the final response included).
 * Nothing about sessions, authentication or scopes changes here; only the framing of the answer.
 */
import type { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import { jsonAnswer } from './json-answer';
import { whenAborted } from './when-aborted';

type RequestId = string | number;
type Send = WebStandardStreamableHTTPServerTransport['send'];
/** What came first for a request: its final response, or (undefined) something to stream. */
type First = { response: unknown } | undefined;

/** The id of a body that is exactly one JSON-RPC request (not a batch, notification or response); else undefined. */
function singleRequestId(body: unknown): RequestId | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const { id, method } = body as { id?: unknown; method?: unknown };
  return typeof method === 'string' && (typeof id === 'string' || typeof id === 'number') ? id : undefined;
}

/** Which request a message the server sends belongs to: a response's own id, else the request it was sent for. */
function requestOf(message: unknown, related: RequestId | undefined): { id: RequestId | undefined; final: boolean } {
  const m = message as { id?: RequestId; method?: unknown };
  const final = m.method === undefined && ('result' in m || 'error' in m);
  return { id: final ? m.id : related, final };
}

export class AnswerTap {
  private readonly waiting = new Map<RequestId, (first: First) => void>();

  /** Watch everything `transport` sends; call before the server connects, so no message goes unseen. */
  constructor(transport: WebStandardStreamableHTTPServerTransport) {
    const send: Send = transport.send.bind(transport);
    transport.send = (message, options) => {
      if (this.waiting.size > 0) this.saw(message, options?.relatedRequestId);
      return send(message, options);
    };
  }

  /**
   * Handle one POST with `handle` (the transport's handleRequest) and answer it as JSON when its final response comes
   * first. `signal` is the caller's request: if it goes away while the first message is awaited, the transport's
   * stream is cancelled, as it would have been had the stream already been handed out.
   */
  async answer(body: unknown, handle: () => Promise<Response>, signal: AbortSignal): Promise<Response> {
    const id = singleRequestId(body);
    // A second request with an id still in flight (a client bug) is streamed: one waiter per id.
    if (id === undefined || this.waiting.has(id)) return handle();
    const first = new Promise<First>((resolve) => this.waiting.set(id, resolve));
    let response: Response;
    try {
      response = await handle();
    } catch (err) {
      this.waiting.delete(id);
      throw err;
    }
    // An answer that is not the request's stream (a refusal by the transport, 202): as it is.
    if (!response.body || !(response.headers.get('content-type') ?? '').startsWith('text/event-stream')) {
      this.waiting.delete(id);
      return response;
    }
    const gone = whenAborted(signal).then(() => 'gone' as const);
    const outcome = await Promise.race([first, gone]);
    if (outcome === 'gone') {
      this.waiting.delete(id);
      await response.body.cancel(signal.reason).catch(() => undefined);
      return response;
    }
    if (outcome === undefined) return response;
    return jsonAnswer(response, JSON.stringify(outcome.response));
  }

  /** The session ended: whatever still waits gets its stream (which the transport has closed). */
  close(): void {
    for (const resolve of this.waiting.values()) resolve(undefined);
    this.waiting.clear();
  }

  private saw(message: unknown, related: RequestId | undefined): void {
    const { id, final } = requestOf(message, related);
    const resolve = id === undefined ? undefined : this.waiting.get(id);
    if (!resolve || id === undefined) return;
    this.waiting.delete(id);
    resolve(final ? { response: message } : undefined);
  }
}
