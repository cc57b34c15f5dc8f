import { IncomingMessage } from 'node:http';

const kept = Symbol('kept');
const keptBytes = Symbol('keptBytes');
const handedOut = Symbol('handedOut');

/** Bodies up to this size are kept as they arrive; a larger one is streamed as before. */
const KEEP_MAX_BYTES = 64 * 1024;

/**
 * The API's requests (http.createServer's `IncomingMessage` option): a body Node's HTTP parser has already taken in
 * whole is handed to @hono/node-server as `rawBody`, its documented fast path, so reading it is one step instead of
 * listening for 'data' and 'end' events over several turns, or even reading the stream (~0.1 ms per call on a small
 * VM, issue 12; docs/design.md, "Architecture"). The parser's chunks are kept as it pushes them (references, at most
 * 64 KiB); the stream itself is left unread, and Node discards it once the answer is sent, as for any body a handler
 * does not read. Asked for only when a route reads the body, after its auth, rate and size checks. A body still
 * arriving, a larger one, or one something else started to read gives undefined: node-server then streams it as before.
 */
export class BufferedIncomingMessage extends IncomingMessage {
  private [kept]: Buffer[] | undefined = [];
  private [keptBytes] = 0;
  private [handedOut]: Buffer | undefined;

  override push(chunk: unknown, encoding?: BufferEncoding): boolean {
    const chunks = this[kept];
    if (chunks !== undefined && chunk !== null) {
      if (Buffer.isBuffer(chunk) && this[keptBytes] + chunk.length <= KEEP_MAX_BYTES) {
        chunks.push(chunk);
        this[keptBytes] += chunk.length;
      } else {
        this[kept] = undefined;
      }
    }
    return super.push(chunk, encoding);
  }

  get rawBody(): Buffer | undefined {
    if (this[handedOut] !== undefined) return this[handedOut];
    const chunks = this[kept];
    // Nobody has started to read it, and the parser has seen all of it (and checked its length).
    if (chunks === undefined || this.readableDidRead || this.readableAborted || !(this.complete || this.hasWholeBody())) return undefined;
    this[handedOut] = chunks.length === 1 && chunks[0] ? chunks[0] : Buffer.concat(chunks);
    this[kept] = undefined;
    return this[handedOut];
  }

  /**
   * All Content-Length bytes are in. The parser may not have marked the request complete yet: the routes run in the
   * microtask turns Node takes after each parser callback, so the body's bytes can be in before the message's end is.
   * The parser frames a body by its Content-Length, so no byte beyond it can be part of this body.
   */
  private hasWholeBody(): boolean {
    const length = this.headers['content-length'];
    return this.headers['transfer-encoding'] === undefined && length !== undefined && /^\d+$/.test(length) && this[keptBytes] === Number(length);
  }
}
