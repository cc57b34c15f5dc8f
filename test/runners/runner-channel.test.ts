import { type Server as HttpServer, createServer as createHttpServer, request as httpRequest } from 'node:http';
import { type AddressInfo, type Server, type Socket, connect, createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type Running, type RunningApi, execute, startApi, startRunner } from '../helpers/processes';
import { type TestTokens, makeTokens } from '../helpers/tokens';

// The runner channel (docs/design.md, "Runner channel") with real processes on loopback: the API, the runner, /usr/bin/ping,
// and between them, where a test needs one, a proxy that cuts connections or does not pass WebSockets.
let tokens: TestTokens;
const started: Array<{ stop(): Promise<void> }> = [];
const track = <T extends { stop(): Promise<void> }>(x: T): T => {
  started.push(x);
  return x;
};

beforeAll(() => {
  tokens = makeTokens();
});
afterAll(async () => {
  for (const x of started.reverse()) await x.stop();
});

const listen = async (server: Server | HttpServer): Promise<number> => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
};

/** A TCP proxy to the API whose open connections the test can cut while it keeps accepting new ones. */
async function cuttableProxy(port: number): Promise<{ url: string; cut(): void; stop(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect({ host: '127.0.0.1', port });
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => s.destroy());
      s.once('close', () => sockets.delete(s));
    }
    client.pipe(upstream).pipe(client);
    client.once('close', () => upstream.destroy());
    upstream.once('close', () => client.destroy());
  });
  const url = `http://127.0.0.1:${await listen(server)}`;
  const cut = (): void => {
    for (const s of sockets) s.destroy();
  };
  return { url, cut, stop: () => new Promise<void>((r) => (cut(), server.close(() => r()))) };
}

/** An HTTP proxy that passes requests but not WebSockets, as some do: hop-by-hop headers (Connection, Upgrade) are dropped. */
async function plainHttpProxy(port: number): Promise<{ url: string; stop(): Promise<void> }> {
  const hop = new Set(['connection', 'upgrade', 'keep-alive', 'sec-websocket-key', 'sec-websocket-version', 'sec-websocket-extensions']);
  const server = createHttpServer((req, res) => {
    const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => !hop.has(k)));
    const up = httpRequest({ host: '127.0.0.1', port, method: req.method, path: req.url, headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  const url = `http://127.0.0.1:${await listen(server)}`;
  return { url, stop: () => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))) };
}

async function jobs(api: RunningApi): Promise<Array<{ id: string; status: string; attempts: number }>> {
  const res = await fetch(`${api.url}/jobs`, { headers: { authorization: `Bearer ${tokens.admin}` } });
  return ((await res.json()) as { jobs: Array<{ id: string; status: string; attempts: number }> }).jobs;
}

const ping = { target: '127.0.0.1', count: 1 };
const loopback = { MCP_ALLOW_LOOPBACK: 'true' };

describe('a job over the runner channel', () => {
  it('completes with the channel as the only transport (NETDIAG_RUNNER_CHANNEL=websocket)', async () => {
    const api = track(await startApi(tokens, loopback));
    const runner = track(await startRunner(api, tokens, { ...loopback, NETDIAG_RUNNER_CHANNEL: 'websocket' }));
    const { status, body } = await execute(api, tokens.client, 'ping', ping);
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: 'succeeded', result: { transmitted: 1, received: 1 } });
    expect(runner.logs()).toMatch(/"transport":"websocket".*"msg":"runner channel open"/);
    expect(api.logs()).toMatch(/"principal":"runner".*"msg":"runner channel open"/);
    await runner.stop();
    await api.stop();
  });

  it('uses the channel by default (auto)', async () => {
    const api = track(await startApi(tokens, loopback));
    const runner = track(await startRunner(api, tokens, loopback));
    expect((await execute(api, tokens.client, 'ping', ping)).status).toBe(200);
    expect(runner.logs()).toContain('"msg":"runner channel open"');
    expect(runner.logs()).not.toContain('using REST');
    await runner.stop();
    await api.stop();
  });
});

describe('REST as the fallback', () => {
  it('falls back to REST when the upgrade is refused (a proxy that does not pass WebSockets) and logs it once', async () => {
    const api = track(await startApi(tokens, loopback));
    const proxy = track(await plainHttpProxy(api.port));
    const runner = track(await startRunner({ ...api, url: proxy.url }, tokens, loopback));
    for (let i = 0; i < 2; i += 1) expect((await execute(api, tokens.client, 'ping', ping)).status).toBe(200);
    expect(runner.logs().match(/the API does not take the runner channel; using REST/g)).toHaveLength(1);
    expect(runner.logs()).toMatch(/"status":404.*"transport":"rest"/);
    expect(runner.logs()).not.toContain('"msg":"runner channel open"');
    await runner.stop();
    await proxy.stop();
    await api.stop();
  });
});

describe('a channel dropped while a claim is parked on it', () => {
  it('withdraws the claim, so a job queued after the drop runs on the next connection at its first attempt', async () => {
    const api = track(await startApi(tokens, { ...loopback, MCP_RUNNER_LEASE_SEC: '3' }));
    const proxy = track(await cuttableProxy(api.port));
    const runner: Running = track(await startRunner({ ...api, url: proxy.url }, tokens, loopback));
    await vi.waitFor(() => expect(api.logs()).toContain('"msg":"runner channel open"'), { timeout: 5000 });
    proxy.cut();
    await vi.waitFor(() => expect(api.logs()).toContain('"msg":"runner channel closed"'), { timeout: 5000 });
    const { status } = await execute(api, tokens.client, 'ping', ping);
    expect(status).toBe(200);
    const [job] = await jobs(api);
    expect(job).toMatchObject({ status: 'succeeded', attempts: 1 });
    expect(runner.logs()).toContain('runner channel closed; reconnecting');
    await runner.stop();
    await proxy.stop();
    await api.stop();
  });
});
