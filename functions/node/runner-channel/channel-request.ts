/**
 * A runner channel request frame as the Request the app is handed (channel-server.ts): a LightRequest
 * (light-request.ts), so no web Request is built per frame unless something asks for more than the app
 * reads (issue 12). Nothing is checked less: the frame's path was accepted by isRunnerPath (already in the form the URL
 * parser gives), the origin is parsed once per channel, and the headers are a real Headers, validated as they are built.
 */
import { type LightRequest, lightRequest, withContentLength } from './light-request';

/** Headers the channel sets itself or that mean nothing inside a frame. */
const DROPPED = new Set(['host', 'content-length', 'connection', 'transfer-encoding', 'upgrade', 'keep-alive']);

/** The frame's headers as a Headers, less those the channel sets itself; undefined for a value no Headers accepts. */
export function channelHeaders(given: Record<string, string>): Headers | undefined {
  const headers = new Headers();
  try {
    for (const [name, value] of Object.entries(given)) if (!DROPPED.has(name.toLowerCase())) headers.append(name, value);
  } catch {
    return undefined;
  }
  return headers;
}

/**
 * A request's abort: the runner gave up on it or the channel closed. Its signal is made only when the app asks for it
 * (a claim or control poll that waits does; a report does not), and is aborted with the reason either way.
 */
export class ChannelAbort {
  #controller: AbortController | undefined;
  #reason: unknown;
  #aborted = false;

  get aborted(): boolean {
    return this.#aborted;
  }

  get signal(): AbortSignal {
    if (!this.#controller) {
      this.#controller = new AbortController();
      if (this.#aborted) this.#controller.abort(this.#reason);
    }
    return this.#controller.signal;
  }

  abort(reason: unknown): void {
    if (this.#aborted) return;
    this.#aborted = true;
    this.#reason = reason;
    this.#controller?.abort(reason);
  }
}

/** The frame as the app's request: `origin` + a path isRunnerPath accepted, the checked headers and the body text. */
export function channelRequest(
  origin: string,
  path: string,
  method: 'GET' | 'POST',
  headers: Headers,
  body: string | null,
  abort: ChannelAbort,
): LightRequest & Request {
  return lightRequest(`${origin}${path}`, method, withContentLength(headers, body, Buffer.byteLength), body, abort);
}
