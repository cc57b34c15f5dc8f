/**
 * The Node API's end of the runner channel (docs/design.md, "Runner channel"; docs/security.md, "Runner channel"): `ws`
 * in noServer mode on the server's `upgrade` event, one path (RUNNER_CHANNEL_PATH), the upgrade checked like a runner
 * route (upgrade-check.ts). Each request frame becomes a Request handed to the app in process (channel-request.ts: a
 * light one, no web Request per frame), so every runner route keeps its auth, scopes, validation, drain gate and
 * job-store rules; the channel only frames them. Refused without dispatch, with the API's error body in the answer
 * frame: a path that is not a runner route (404), a request whose Authorization differs from the upgrade's (401: one
 * connection, one principal), a header value no HTTP header may carry (400; before, such a frame was never answered),
 * more than RUNNER_CHANNEL_MAX_IN_FLIGHT requests at once (503). A frame over RUNNER_CHANNEL_MAX_FRAME_BYTES closes the
 * connection (1009), one that cannot be read at all too (1008). A closed connection aborts every request it still
 * has in the app, as a REST client going away does: a parked claim leaves the queue and no job is handed to it.
 * A channel whose runner does not answer a ping by the next one is closed the same way (keepAlive below).
 */
import { type IncomingMessage, type Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { timingSafeEqual } from 'node:crypto';
import { type WebSocket, WebSocketServer } from 'ws';
import { type ErrorCode, HTTP_STATUS_BY_CODE, errorInfo } from '../../shared/errors/codes';
import type { ErrorBody } from '../../shared/errors/error-body';
import type { Logger } from '../../shared/node/logger';
import {
  RUNNER_CHANNEL_MAX_FRAME_BYTES,
  RUNNER_CHANNEL_MAX_IN_FLIGHT,
  RUNNER_CHANNEL_PATH,
  RUNNER_CHANNEL_PING_MS,
  encodeFrame,
  isRunnerPath,
  readRequestHead,
  splitFrame,
} from '../../shared/runner-channel/frame';
import { noteArrival } from '../../shared/telemetry/stage-arrival';
import { markStage, stageOnWriteOf } from '../../shared/telemetry/stage-times';
import { answerParts } from './answer-parts';
import { ChannelAbort, channelHeaders, channelRequest } from './channel-request';
import { type UpgradeChecks, checkUpgrade, refuseUpgrade } from './upgrade-check';

export interface RunnerChannelOptions extends UpgradeChecks {
  /**
   * Answer one tunnelled request through the app (`app.fetch(request, env)`); `socket` is the upgraded connection
   * (runner mTLS looks at it), `env` stands in for node-server's bindings: headers set on its `outgoing` join the answer.
   */
  dispatch: (request: Request, socket: Duplex, env: ChannelBindings) => Response | Promise<Response>;
  logger: Logger;
  /** The liveness ping's interval (RUNNER_CHANNEL_PING_MS); shorter only in tests. */
  pingMs?: number;
}

/** What the app sees as `c.env` for a channel request: an `outgoing` that collects headers (middleware/request-id.ts). */
export interface ChannelBindings {
  outgoing: { headersSent: false; setHeader(name: string, value: string): void };
}

export interface RunnerChannelServer {
  /** Close every channel (shutdown, after the drain): their in-flight requests are aborted. */
  close(): void;
}

const HOST = /^[A-Za-z0-9.:[\]-]{1,255}$/;

export function attachRunnerChannel(server: Server, options: RunnerChannelOptions): RunnerChannelServer {
  const wss = new WebSocketServer({ noServer: true, maxPayload: RUNNER_CHANNEL_MAX_FRAME_BYTES, perMessageDeflate: false });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    if (req.headers.upgrade?.toLowerCase() !== 'websocket') return servePlain(server, req, socket, head);
    if (new URL(req.url ?? '/', 'http://channel.invalid').pathname !== RUNNER_CHANNEL_PATH) {
      return refuseUpgrade(socket, { code: 'NOT_FOUND', message: `No upgrade on ${req.url ?? '/'}; runners open ${RUNNER_CHANNEL_PATH}.` });
    }
    void checkUpgrade(req, options).then((checked) => {
      if ('code' in checked) {
        options.logger.warn({ code: checked.code, reason: checked.message }, 'runner channel refused');
        return refuseUpgrade(socket, checked);
      }
      wss.handleUpgrade(req, socket, head, (ws) => serveChannel(ws, socket, req, checked.authorization, checked.principal.id, options));
    });
  });
  return {
    close: () => {
      for (const ws of wss.clients) ws.terminate();
    },
  };
}

/**
 * Once anyone listens for 'upgrade', Node hands it every request with an Upgrade header, not only WebSockets: a plain
 * request that merely offers another protocol (curl --http2's `Upgrade: h2c`) is answered as the HTTP/1.1 request it
 * also is, as before the channel existed, and the connection is closed after it. Such a request with a body is refused
 * (400): Node stops parsing at the headers of an upgrade, so the body cannot be read.
 */
function servePlain(server: Server, req: IncomingMessage, socket: Duplex, head: Buffer): void {
  const length = req.headers['content-length'];
  if (req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0')) {
    return refuseUpgrade(socket, {
      code: 'VALIDATION_ERROR',
      message: 'Upgrade is only served for WebSockets on /runner/channel; send the request without it.',
    });
  }
  if (head.length > 0) socket.unshift(head);
  const res = new ServerResponse(req);
  res.shouldKeepAlive = false;
  res.assignSocket(socket as Socket);
  res.once('finish', () => socket.end());
  server.emit('request', req, res);
}

function serveChannel(ws: WebSocket, socket: Duplex, req: IncomingMessage, authorization: string, principal: string, options: RunnerChannelOptions): void {
  const inFlight = new Map<number, ChannelAbort>();
  const expected = Buffer.from(authorization);
  const base = channelOrigin('encrypted' in socket && socket.encrypted ? 'https' : 'http', req.headers.host);
  options.logger.info({ principal }, 'runner channel open');
  const answer = (id: number, status: number, headers: string[], body: string, request?: Request): void => {
    // Stamped as the answer is handed to the socket, like node-server's end() on REST (node/stage-stamps.ts).
    const mark = request ? stageOnWriteOf(request) : undefined;
    if (mark) markStage(mark.jobId, mark.stage);
    if (ws.readyState === ws.OPEN) ws.send(encodeFrame({ id, status, headers }, body));
  };
  const refuse = (id: number, code: ErrorCode, message: string): void => {
    const body: ErrorBody = { error: errorInfo(code, message) };
    answer(id, HTTP_STATUS_BY_CODE[code], ['content-type', 'application/json'], JSON.stringify(body));
  };
  ws.on('message', (data: Buffer, isBinary: boolean) => {
    const frame = isBinary ? undefined : splitFrame(data.toString('utf8'));
    const head = frame ? readRequestHead(frame.head) : 'binary frames are not used';
    if (typeof head === 'string' || !frame) return ws.close(1008, (typeof head === 'string' ? head : 'unreadable frame').slice(0, 120));
    if ('abort' in head) return inFlight.get(head.id)?.abort(new DOMException('The runner gave up on the request.', 'AbortError'));
    if (inFlight.has(head.id)) return ws.close(1008, 'request id already in flight');
    if (!isRunnerPath(head.path)) return refuse(head.id, 'NOT_FOUND', 'Only runner routes (/runner/…) are served over the runner channel.');
    const given = Buffer.from(head.headers['authorization'] ?? head.headers['Authorization'] ?? '');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      return refuse(head.id, 'UNAUTHORIZED', 'Every request on a runner channel carries the token the channel was opened with.');
    }
    if (inFlight.size >= RUNNER_CHANNEL_MAX_IN_FLIGHT) {
      return refuse(head.id, 'RESOURCE_EXHAUSTED', `At most ${RUNNER_CHANNEL_MAX_IN_FLIGHT} requests at once on one runner channel.`);
    }
    const body = head.method === 'POST' ? frame.body : null;
    const headers = channelHeaders(head.headers);
    if (!headers) return refuse(head.id, 'VALIDATION_ERROR', 'A header value has a character no HTTP header may carry (NUL, CR or LF).');
    const abort = new ChannelAbort();
    inFlight.set(head.id, abort);
    const request = channelRequest(base, head.path, head.method, headers, body, abort);
    noteArrival(request);
    const extra: string[] = [];
    const env: ChannelBindings = { outgoing: { headersSent: false, setHeader: (name, value) => void extra.push(name.toLowerCase(), value) } };
    void Promise.resolve()
      .then(() => options.dispatch(request, socket, env))
      .then((response) => answerParts(response, extra))
      .then((parts) => {
        if (!abort.aborted) answer(head.id, parts.status, parts.headers, parts.body, request);
      })
      .catch((err: unknown) => {
        if (abort.aborted) return;
        options.logger.error({ err, path: head.path }, 'runner channel request failed');
        refuse(head.id, 'UNKNOWN', 'Internal error.');
      })
      .finally(() => inFlight.delete(head.id));
  });
  const beat = keepAlive(ws, options.pingMs ?? RUNNER_CHANNEL_PING_MS, () =>
    options.logger.warn({ principal }, 'runner channel silent: no answer to the last ping; closing it'),
  );
  ws.on('close', (code: number) => {
    clearInterval(beat);
    for (const a of inFlight.values()) a.abort(new DOMException('The runner channel closed.', 'AbortError'));
    inFlight.clear();
    options.logger.info({ principal, code }, 'runner channel closed');
  });
  ws.on('error', (err) => options.logger.warn({ err: String(err), principal }, 'runner channel error'));
}

/**
 * The origin of a channel's request URLs, parsed once per channel: each URL is this and a path isRunnerPath accepted,
 * both as the URL parser leaves them. A Host the parser refuses ("a:b:c", a port over 65535) means localhost.
 */
function channelOrigin(scheme: 'http' | 'https', host: string | undefined): string {
  try {
    return new URL(`${scheme}://${HOST.test(host ?? '') ? host : 'localhost'}`).origin;
  } catch {
    return `${scheme}://localhost`;
  }
}

/** Ping every `everyMs`; a channel that has not answered the previous ping by then is cut (its 'close' cleans up). */
function keepAlive(ws: WebSocket, everyMs: number, onSilent: () => void): NodeJS.Timeout {
  let answered = true;
  ws.on('pong', () => {
    answered = true;
  });
  const beat = setInterval(() => {
    if (!answered) {
      onSilent();
      return void ws.terminate();
    }
    answered = false;
    ws.ping();
  }, everyMs);
  beat.unref();
  return beat;
}
