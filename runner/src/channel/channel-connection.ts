/**
 * One open runner channel (docs/design.md, "Runner channel"): a WebSocket to the API's RUNNER_CHANNEL_PATH over which
 * each runner request is one frame and each answer one frame with the request's id
 * (functions/shared/runner-channel/frame.ts). An answer becomes a Response like the REST transport's
 * (BufferedResponse: the body stays a Buffer that `json()` parses). When the socket closes, every request still
 * waiting fails the way fetch fails (TypeError('fetch failed') with the cause), so the runner's retry policies
 * (runner/src/api.ts) treat it as the network error it is; an aborted signal sends an abort frame and rejects with its
 * reason, as fetch would. The API pings every open channel (RUNNER_CHANNEL_PING_MS); an API silent for
 * RUNNER_CHANNEL_SILENCE_MS (no ping, no answer: its host vanished, or a middlebox dropped the connection without a
 * word) is given up on the same way, so calls go over REST or a new channel instead of waiting on a dead socket.
 */
import WebSocket from 'ws';
import { BufferedResponse } from '../../../functions/shared/node/buffered-response';
import type { ApiTlsOptions } from '../../../functions/shared/node/api-transport';
import {
  RUNNER_CHANNEL_MAX_FRAME_BYTES,
  RUNNER_CHANNEL_PATH,
  RUNNER_CHANNEL_SILENCE_MS,
  encodeFrame,
  readAnswerHead,
} from '../../../functions/shared/runner-channel/frame';

/** How an attempt to open the channel ended when it did not open: the API (or a proxy) answered `status`, or no answer. */
export type OpenFailure = { refused: number } | { failed: Error };

const closedError = (reason: string): TypeError =>
  new TypeError('fetch failed', { cause: Object.assign(new Error(`runner channel closed: ${reason}`), { code: 'ECONNRESET' }) });

export class ChannelConnection {
  readonly #ws: WebSocket;
  readonly #pending = new Map<number, { resolve: (r: Response) => void; reject: (e: unknown) => void }>();
  #nextId = 0;

  private constructor(ws: WebSocket, silenceMs: number, onClose: () => void) {
    this.#ws = ws;
    let heardAt = Date.now();
    let silent = false;
    ws.on('ping', () => {
      heardAt = Date.now();
    });
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      heardAt = Date.now();
      this.#answer(data, isBinary);
    });
    const watch = setInterval(() => {
      if (Date.now() - heardAt <= silenceMs) return;
      silent = true;
      ws.terminate();
    }, silenceMs / 3);
    watch.unref();
    ws.once('close', (code: number, reason: Buffer) => {
      clearInterval(watch);
      const why = silent ? `the API was silent for ${silenceMs} ms` : `${code}${reason.length > 0 ? ` ${reason.toString()}` : ''}`;
      const err = closedError(why);
      for (const p of this.#pending.values()) p.reject(err);
      this.#pending.clear();
      onClose();
    });
  }

  /**
   * Open the channel to `apiUrl` (http → ws, https → wss with `tls`); `onClose` runs once when it closes later.
   * `silenceMs` is RUNNER_CHANNEL_SILENCE_MS but in tests.
   */
  static open(
    apiUrl: string,
    authorization: string,
    tls: ApiTlsOptions | undefined,
    onClose: () => void,
    silenceMs: number = RUNNER_CHANNEL_SILENCE_MS,
  ): Promise<ChannelConnection | OpenFailure> {
    const url = new URL(`${apiUrl.replace(/\/+$/, '')}${RUNNER_CHANNEL_PATH}`);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    return new Promise((resolve) => {
      const ws = new WebSocket(url, {
        headers: { authorization },
        perMessageDeflate: false,
        maxPayload: RUNNER_CHANNEL_MAX_FRAME_BYTES,
        handshakeTimeout: 5000,
        ...tls,
      });
      const fail = (failure: OpenFailure): void => {
        ws.removeAllListeners();
        ws.on('error', () => undefined);
        ws.terminate();
        resolve(failure);
      };
      ws.once('unexpected-response', (req, res) => {
        res.resume();
        fail({ refused: res.statusCode ?? 0 });
      });
      ws.once('error', (err) => fail({ failed: err }));
      ws.once('open', () => {
        ws.removeAllListeners();
        ws.on('error', () => undefined); // a socket error is followed by 'close', which fails what is pending
        resolve(new ChannelConnection(ws, silenceMs, onClose));
      });
    });
  }

  /** Whether a request sent now would go out. */
  get open(): boolean {
    return this.#ws.readyState === WebSocket.OPEN;
  }

  /** One runner request over the channel. */
  request(method: 'GET' | 'POST', path: string, headers: Record<string, string>, body: string, signal: AbortSignal | undefined): Promise<Response> {
    const id = this.#nextId++;
    return new Promise<Response>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      if (!this.open) return reject(closedError('not open'));
      const onAbort = (): void => {
        if (!this.#pending.delete(id)) return;
        if (this.open) this.#ws.send(encodeFrame({ id, abort: true }));
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      const done = (): void => signal?.removeEventListener('abort', onAbort);
      this.#pending.set(id, {
        resolve: (r) => {
          done();
          resolve(r);
        },
        reject: (e) => {
          done();
          reject(e);
        },
      });
      this.#ws.send(encodeFrame({ id, method, path, headers }, body));
    });
  }

  close(): void {
    this.#ws.close(1000, 'runner stopping');
  }

  #answer(data: Buffer, isBinary: boolean): void {
    const end = isBinary ? -1 : data.indexOf(0x0a);
    let head: ReturnType<typeof readAnswerHead>;
    try {
      head = end < 0 ? undefined : readAnswerHead(JSON.parse(data.toString('utf8', 0, end)));
    } catch {
      head = undefined;
    }
    // An API that sends what it must not is not one to keep talking to: close, and what is pending fails.
    if (!head) return void this.#ws.close(1002, 'unreadable answer frame');
    const pending = this.#pending.get(head.id);
    if (!pending) return; // an answer to a request given up on (aborted)
    this.#pending.delete(head.id);
    const body = data.subarray(end + 1);
    const status = head.status;
    pending.resolve(
      status === 204 || status === 205 ? new Response(null, { status }) : new BufferedResponse(body, { status, statusText: '', rawHeaders: head.headers }),
    );
  }
}
