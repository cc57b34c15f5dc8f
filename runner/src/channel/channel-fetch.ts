/**
 * The runner's channel fetch (docs/design.md, "Runner channel"): a `fetch` for the SDK's runner client that sends each
 * runner request over one WebSocket to the API (channel-connection.ts) instead of one HTTP exchange each. Everything
 * above it (RunnerApi's retry policies, leases, heartbeats, the idempotent report) is unchanged.
 *
 * NETDIAG_RUNNER_CHANNEL:
 * - `auto` (default): the channel is opened at the first call. An API or proxy that refuses the upgrade with a 4xx
 *   other than 408/429, or answers it as a plain request, means REST for the rest of the process (logged once at
 *   info). A connection that fails or drops is retried with backoff (250 ms doubling to 5 s) while calls go over REST.
 * - `websocket`: the channel only; while it is down, calls fail as network errors and the retry policies retry them.
 * - `off`: REST only.
 * In every mode a request the channel does not carry (not a runner route, or a body near the frame cap) goes over REST.
 * When the socket drops, the requests on it fail as network errors (retried; a report is idempotent per lease).
 */
import type { ApiTlsOptions } from '../../../functions/shared/node/api-transport';
import type { Logger } from '../../../functions/shared/node/logger';
import { RUNNER_CHANNEL_MAX_FRAME_BYTES, isRunnerPath } from '../../../functions/shared/runner-channel/frame';
import type { RunnerChannelMode } from '../config';
import { ChannelConnection, type OpenFailure } from './channel-connection';

export interface ChannelFetchOptions {
  apiUrl: string;
  token: string;
  mode: RunnerChannelMode;
  /** The REST transport's TLS trust and client certificate (api-transport.ts apiTlsOptions): wss trusts the same API. */
  tls: ApiTlsOptions | undefined;
  /** The REST transport: mode `off`, a refused channel, `auto` while the channel is down, what the channel does not carry. */
  rest: typeof fetch;
  logger: Logger;
}

export interface ChannelFetch {
  fetch: typeof fetch;
  /** Close the channel (the runner stops). */
  close(): void;
}

/** Room for the frame head: a body larger than the cap minus this goes over REST. */
const HEAD_ROOM = 16 * 1024;
const BACKOFF_MS = [250, 500, 1000, 2000, 4000, 5000] as const;

/** A refusal that means "this API or proxy does not take the channel", not "not now". */
const permanent = (status: number): boolean => status < 400 || (status < 500 && status !== 408 && status !== 429);

export function channelFetch(o: ChannelFetchOptions): ChannelFetch {
  const base = o.apiUrl.replace(/\/+$/, '');
  let conn: ChannelConnection | undefined;
  let connecting: Promise<ChannelConnection | undefined> | undefined;
  let refused = o.mode === 'off';
  let failures = 0;
  let retryAt = 0;
  let opened = 0;
  let closing = false;

  const down = (what: string, fields: Record<string, unknown>): void => {
    const wait = BACKOFF_MS[Math.min(failures, BACKOFF_MS.length - 1)] ?? 5000;
    failures += 1;
    retryAt = Date.now() + wait;
    const line = { ...fields, retryInMs: wait, meanwhile: o.mode === 'auto' ? 'REST' : 'calls fail and are retried' };
    if (failures === 1) o.logger.warn(line, what);
    else o.logger.debug(line, what);
  };

  const onOpened = (result: ChannelConnection | OpenFailure): ChannelConnection | undefined => {
    connecting = undefined;
    if (result instanceof ChannelConnection) {
      if (closing) return void result.close();
      conn = result;
      failures = 0;
      opened += 1;
      o.logger.info({ api: base, transport: 'websocket' }, opened === 1 ? 'runner channel open' : 'runner channel reopened');
      return conn;
    }
    if ('refused' in result && o.mode === 'auto' && permanent(result.refused)) {
      refused = true;
      o.logger.info({ api: base, status: result.refused, transport: 'rest' }, 'the API does not take the runner channel; using REST');
      return undefined;
    }
    down('runner channel unavailable', 'refused' in result ? { status: result.refused } : { err: String(result.failed) });
    return undefined;
  };

  const link = (): ChannelConnection | Promise<ChannelConnection | undefined> | undefined => {
    if (conn?.open) return conn;
    if (refused || closing) return undefined;
    if (connecting) return connecting;
    if (Date.now() < retryAt) return undefined;
    const onClose = (): void => {
      conn = undefined;
      if (!closing) down('runner channel closed; reconnecting', {});
    };
    connecting = ChannelConnection.open(base, `Bearer ${o.token}`, o.tls, onClose).then(onOpened);
    return connecting;
  };

  const unavailable = (): Promise<Response> =>
    Promise.reject(new TypeError('fetch failed', { cause: Object.assign(new Error('the runner channel is not open'), { code: 'ECONNREFUSED' }) }));

  const send = (c: ChannelConnection | undefined, input: string, init: RequestInit, headers: Record<string, string>): Promise<Response> => {
    if (!c) return o.mode === 'websocket' && !refused ? unavailable() : o.rest(input, init);
    const method = init.method === 'GET' ? 'GET' : 'POST';
    return c.request(method, input.slice(base.length), headers, typeof init.body === 'string' ? init.body : '', init.signal ?? undefined);
  };

  const fetch: typeof globalThis.fetch = (input, init = {}) => {
    if (o.mode === 'off' || typeof input !== 'string' || !input.startsWith(`${base}/runner/`)) return o.rest(input, init);
    const headers = init.headers;
    const plain = headers !== undefined && !(headers instanceof Headers) && !Array.isArray(headers) ? (headers as Record<string, string>) : undefined;
    const body = init.body;
    const carried =
      plain !== undefined &&
      (init.method === 'POST' || init.method === 'GET') &&
      (body == null || (typeof body === 'string' && Buffer.byteLength(body) <= RUNNER_CHANNEL_MAX_FRAME_BYTES - HEAD_ROOM)) &&
      isRunnerPath(input.slice(base.length));
    if (!carried) return o.rest(input, init);
    const c = link();
    return c instanceof Promise ? c.then((opened) => send(opened, input, init, plain)) : send(c, input, init, plain);
  };

  return {
    fetch,
    close: () => {
      closing = true;
      conn?.close();
    },
  };
}
