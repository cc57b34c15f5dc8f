import { type Server, type Socket, createServer } from 'node:net';
import { ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, describe, expect, it } from 'vitest';
import { ERROR_META_KEY } from '../../functions/mcp/answers';
import { type RunningApi, closedPort, startApi } from '../helpers/processes';
import { type ShimSession, connectShim } from '../helpers/shim-client';
import { makeTokens } from '../helpers/tokens';
import { eventually } from './helpers/lab';

// The bundled shim when the API changes under it, restarts, is down or hangs. No runner: nothing here runs a tool.
const tokens = makeTokens();
const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});
const shim = async (env: Record<string, string>): Promise<ShimSession> => {
  const s = await connectShim({ NETDIAG_TOKEN: tokens.client, ...env });
  cleanups.push(() => s.close());
  return s;
};
const api = async (env: Record<string, string> = {}): Promise<RunningApi> => {
  const a = await startApi(tokens, env);
  cleanups.push(() => a.stop());
  return a;
};
const admin = (a: RunningApi, path: string): Promise<Response> =>
  fetch(`${a.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${tokens.admin}` } });
const text = (r: object): string => (((r as { content?: unknown }).content as Array<{ text?: string }> | undefined) ?? []).map((c) => c.text ?? '').join('\n');

describe('the shim follows tool changes over GET /events', () => {
  it('sends list_changed when a tool is disabled, and keeps following after the API restarts', async () => {
    const first = await api();
    const s = await shim({ NETDIAG_API_URL: first.url });
    let changes = 0;
    s.client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
      changes += 1;
    });
    await s.client.listTools();
    // The event stream opens once the client is initialised; retry the change until the shim has seen one.
    expect(await eventually(async () => (await admin(first, '/tools/nmap/disable')).ok && changes >= 1)).toBe(true);
    expect((await s.client.listTools()).tools.map((t) => t.name)).not.toContain('nmap');

    await first.stop();
    const second = await api({ MCP_SERVER_PORT: String(first.port) });
    // The restarted API has nmap enabled again: the shim reconnects (with backoff), re-lists and says so.
    expect(await eventually(async () => changes >= 2, 15_000)).toBe(true);
    expect((await s.client.listTools()).tools.map((t) => t.name)).toContain('nmap');
    await admin(second, '/tools/dig/disable');
    expect(await eventually(async () => changes >= 3)).toBe(true);
    expect((await s.client.listTools()).tools.map((t) => t.name)).not.toContain('dig');
  }, 30_000);
});

describe('the shim when the API is not usable', () => {
  it('starts, lists no tools, and answers calls with an isError naming what to fix (API unreachable)', async () => {
    const port = await closedPort();
    const s = await shim({ NETDIAG_API_URL: `http://127.0.0.1:${port}`, NETDIAG_TIMEOUT_MS: '5000' });
    expect((await s.client.listTools()).tools).toEqual([]);
    const r = await s.client.callTool({ name: 'ping', arguments: { target: '10.0.0.1' } });
    expect(r.isError).toBe(true);
    expect(text(r)).toMatch(/^API_UNREACHABLE: Cannot reach the netdiag API at http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)\.\nWhat to do: .*NETDIAG_API_URL/);
    expect(r._meta?.[ERROR_META_KEY]).toMatchObject({ code: 'API_UNREACHABLE' });
    expect(await s.client.ping()).toEqual({});
  });

  it('answers with TIMEOUT within NETDIAG_TIMEOUT_MS when the API accepts but never answers, and stays up', async () => {
    const sockets: Socket[] = [];
    const silent: Server = createServer((socket) => sockets.push(socket));
    const port = await new Promise<number>((resolve) => silent.listen(0, '127.0.0.1', () => resolve((silent.address() as { port: number }).port)));
    cleanups.push(async () => {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => silent.close(resolve));
    });
    const s = await shim({ NETDIAG_API_URL: `http://127.0.0.1:${port}`, NETDIAG_TIMEOUT_MS: '1500' });
    // The SDK client's own timeout (5 s) is the bound: the shim must answer before it.
    const r = await s.client.callTool({ name: 'ping', arguments: { target: '10.0.0.1' } }, undefined, { timeout: 5000 });
    expect(r.isError).toBe(true);
    expect(text(r)).toMatch(
      /^TIMEOUT: No result within 1500 ms; the request was closed, and the API stops any job it started for it\.\nWhat to do: Raise NETDIAG_TIMEOUT_MS/,
    );
    expect(await s.client.ping()).toEqual({});
  });

  it('says the token was rejected and how to fix it', async () => {
    const a = await api();
    const s = await connectShim({ NETDIAG_API_URL: a.url, NETDIAG_TOKEN: 'not-a-valid-token' });
    cleanups.push(() => s.close());
    const r = await s.client.callTool({ name: 'ping', arguments: { target: '10.0.0.1' } });
    expect(text(r)).toMatch(/^UNAUTHORIZED: The netdiag API at http:\S+ rejected the shim's token: .*\nWhat to do: Set NETDIAG_TOKEN/);
  });

  it('exits when stdin closes', async () => {
    const s = await shim({ NETDIAG_API_URL: 'http://127.0.0.1:9' });
    const transport = (s.client as unknown as { transport: { pid: number | null } }).transport;
    const pid = transport.pid;
    expect(pid).toBeGreaterThan(0);
    await s.close();
    expect(await eventually(async () => !alive(pid ?? 0))).toBe(true);
  });
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
