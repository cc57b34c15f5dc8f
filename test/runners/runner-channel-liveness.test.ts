/**
 * Runner channel liveness (docs/design.md, "Runner channel"): the API pings each channel and cuts one whose runner does
 * not answer; the runner gives up on a channel whose API has gone silent. Both ends run here on loopback with short
 * intervals; a peer that cannot answer is a `ws` socket with its automatic pong turned off, or a server that never speaks.
 */
import { createHash, randomBytes } from 'node:crypto';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import type { Logger } from '../../functions/shared/logger';
import { RUNNER_CHANNEL_PATH } from '../../functions/shared/runner-channel/frame';
import { attachRunnerChannel } from '../../functions/node/runner-channel/channel-server';
import { createTokenVerifier } from '../../functions/src/auth/tokens';
import { ChannelConnection } from '../../runner/src/channel/channel-connection';

const PING_MS = 200;
const token = `t_${randomBytes(18).toString('base64url')}`;
const tokens = createTokenVerifier([{ id: 'runner', sha256: createHash('sha256').update(token).digest('hex'), scopes: ['runner'] }]);
const cleanups: (() => void)[] = [];

afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

function listen(server: Server | WebSocketServer): Promise<number> {
  return new Promise((resolve) => {
    const s = server instanceof WebSocketServer ? undefined : server;
    if (s) s.listen(0, '127.0.0.1', () => resolve((s.address() as AddressInfo).port));
    else (server as WebSocketServer).once('listening', () => resolve(((server as WebSocketServer).address() as AddressInfo).port));
  });
}

/** The API's end on a plain loopback server, pinging every PING_MS; its warnings are kept. */
async function apiEnd(): Promise<{ port: number; warnings: string[] }> {
  const warnings: string[] = [];
  const logger: Logger = { debug() {}, info() {}, warn: (_fields: object, msg?: string) => void warnings.push(msg ?? ''), error() {} };
  const server = createServer((_req, res) => res.writeHead(404).end());
  const channel = attachRunnerChannel(server, { tokens, dispatch: () => new Response('{}'), logger, pingMs: PING_MS });
  const port = await listen(server);
  cleanups.push(() => {
    channel.close();
    server.close();
  });
  return { port, warnings };
}

function openRaw(port: number, autoPong: boolean): Promise<WebSocket> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}${RUNNER_CHANNEL_PATH}`, { headers: { authorization: `Bearer ${token}` }, autoPong });
  cleanups.push(() => ws.terminate());
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

const closed = (ws: WebSocket): Promise<number> => new Promise((resolve) => ws.once('close', (code: number) => resolve(code)));

describe('the API pings runner channels', () => {
  it('cuts a channel whose runner does not answer its ping, and says why', async () => {
    const api = await apiEnd();
    const ws = await openRaw(api.port, false);
    let pings = 0;
    ws.on('ping', () => (pings += 1));
    expect(await closed(ws)).toBe(1006); // terminated, no close handshake
    expect(pings).toBeGreaterThanOrEqual(1);
    expect(api.warnings).toContain('runner channel silent: no answer to the last ping; closing it');
  });

  it('keeps a channel whose runner answers, over many pings', async () => {
    const api = await apiEnd();
    const ws = await openRaw(api.port, true);
    let pings = 0;
    await new Promise<void>((resolve) =>
      ws.on('ping', () => {
        pings += 1;
        if (pings === 6) resolve();
      }),
    );
    expect(ws.readyState).toBe(WebSocket.OPEN);
    expect(api.warnings).toEqual([]);
  });
});

describe('the runner gives up on a silent API', () => {
  const SILENCE_MS = 400;

  async function apiThat(pingEveryMs: number | undefined): Promise<number> {
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    wss.on('connection', (ws) => {
      if (pingEveryMs === undefined) return; // accepts, then never says a word
      const beat = setInterval(() => ws.ping(), pingEveryMs);
      ws.on('close', () => clearInterval(beat));
    });
    const port = await listen(wss);
    cleanups.push(() => {
      for (const c of wss.clients) c.terminate();
      wss.close();
    });
    return port;
  }

  it('closes the channel and fails what is pending as a network error', async () => {
    const port = await apiThat(undefined);
    let closes = 0;
    const conn = await ChannelConnection.open(`http://127.0.0.1:${port}`, `Bearer ${token}`, undefined, () => (closes += 1), SILENCE_MS);
    if (!(conn instanceof ChannelConnection)) throw new Error(`channel did not open: ${JSON.stringify(conn)}`);
    const pending = conn.request('GET', '/runner/jobs/claim', { authorization: `Bearer ${token}` }, '', undefined);
    const err = await pending.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(TypeError);
    expect(String((err as TypeError).cause)).toContain(`the API was silent for ${SILENCE_MS} ms`);
    expect(conn.open).toBe(false);
    expect(closes).toBe(1);
  });

  it('keeps the channel while the API pings', async () => {
    const port = await apiThat(SILENCE_MS / 4);
    let closes = 0;
    const conn = await ChannelConnection.open(`http://127.0.0.1:${port}`, `Bearer ${token}`, undefined, () => (closes += 1), SILENCE_MS);
    if (!(conn instanceof ChannelConnection)) throw new Error(`channel did not open: ${JSON.stringify(conn)}`);
    cleanups.push(() => conn.close());
    await new Promise((resolve) => setTimeout(resolve, SILENCE_MS * 5));
    expect(conn.open).toBe(true);
    expect(closes).toBe(0);
  });
});
