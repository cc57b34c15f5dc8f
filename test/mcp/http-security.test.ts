import { afterEach, describe, expect, it } from 'vitest';
import { MCP_TOKENS, type McpApp, initializeBody, makeMcpApp } from './helpers/in-process';

// /mcp in process: Host and Origin, bearer tokens and scopes, sessions. No runner and no network involved.
let mcp: McpApp;
afterEach(async () => {
  await mcp?.close();
});

const errorCode = async (res: Response): Promise<string> => ((await res.json()) as { error: { code: string } }).error.code;
const listTools = { jsonrpc: '2.0', id: 2, method: 'tools/list', params: {} };
const callPing = { jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'ping', arguments: { target: '10.0.0.1' } } };

async function openSession(token: string): Promise<string> {
  const res = await mcp.request('POST', '/mcp', { token, body: initializeBody() });
  expect(res.status).toBe(200);
  await res.body?.cancel();
  const id = res.headers.get('mcp-session-id');
  if (!id) throw new Error('no session id');
  return id;
}

describe('/mcp Host and Origin', () => {
  it.each([['http://evil.example'], ['null'], ['http://localhost.evil.example'], ['https://127.0.0.1']])(
    'refuses Origin %s with 403 before looking at the token',
    async (origin) => {
      mcp = makeMcpApp();
      const res = await mcp.request('POST', '/mcp', { headers: { origin }, body: initializeBody() });
      expect(res.status).toBe(403);
      expect(await errorCode(res)).toBe('FORBIDDEN');
    },
  );

  it.each([['evil.example.com'], ['evil.example.com:8080'], ['127.0.0.1.evil.example']])('refuses Host %s with 403', async (host) => {
    mcp = makeMcpApp();
    const res = await mcp.request('POST', '/mcp', { token: MCP_TOKENS.client, headers: { host }, body: initializeBody() });
    expect(res.status).toBe(403);
  });

  it('accepts loopback names with any port and local browser origins, and what MCP_ALLOWED_* add', async () => {
    mcp = makeMcpApp({
      MCP_ALLOWED_HOSTS: 'localhost,127.0.0.1,[::1],mcp.lab.internal:8443',
      MCP_ALLOWED_ORIGINS: 'http://localhost,https://console.lab.internal',
    });
    for (const headers of [
      { host: '127.0.0.1:8080', origin: 'http://localhost:6274' },
      { host: '[::1]:9' },
      { host: 'mcp.lab.internal:8443', origin: 'https://console.lab.internal' },
    ]) {
      const res = await mcp.request('POST', '/mcp', { token: MCP_TOKENS.client, headers, body: initializeBody() });
      expect(res.status).toBe(200);
      await res.body?.cancel();
    }
    expect((await mcp.request('POST', '/mcp', { token: MCP_TOKENS.client, headers: { host: 'mcp.lab.internal:80' }, body: initializeBody() })).status).toBe(
      403,
    );
  });

  it('refuses to start with a malformed list, naming the variable', () => {
    expect(() => makeMcpApp({ MCP_ALLOWED_ORIGINS: 'localhost' })).toThrow(/MCP_ALLOWED_ORIGINS/);
  });
});

describe('/mcp bearer tokens and scopes', () => {
  it('answers 401 with a Bearer challenge without a token or with an unknown one', async () => {
    mcp = makeMcpApp();
    for (const token of [undefined, 'not-a-known-token']) {
      const res = await mcp.request('POST', '/mcp', { ...(token ? { token } : {}), body: initializeBody() });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer /);
      expect(await errorCode(res)).toBe('UNAUTHORIZED');
    }
  });

  it('answers 403 to a token with neither tools:read nor tools:run', async () => {
    mcp = makeMcpApp();
    const res = await mcp.request('POST', '/mcp', { token: MCP_TOKENS.runner, body: initializeBody() });
    expect(res.status).toBe(403);
  });

  it('needs tools:read to list and tools:run to call, like REST', async () => {
    mcp = makeMcpApp();
    const reader = await openSession(MCP_TOKENS.reader);
    const asReader = { token: MCP_TOKENS.reader, headers: { 'mcp-session-id': reader, 'mcp-protocol-version': '2025-11-25' } };
    expect((await mcp.request('POST', '/mcp', { ...asReader, body: listTools })).status).toBe(200);
    const call = await mcp.request('POST', '/mcp', { ...asReader, body: callPing });
    expect(call.status).toBe(403);
    expect(await errorCode(call)).toBe('FORBIDDEN');
    const runOnly = await openSession(MCP_TOKENS.runOnly);
    const list = await mcp.request('POST', '/mcp', {
      token: MCP_TOKENS.runOnly,
      headers: { 'mcp-session-id': runOnly, 'mcp-protocol-version': '2025-11-25' },
      body: listTools,
    });
    expect(list.status).toBe(403);
  });

  it('checks the token on every request: a session id alone gets 401', async () => {
    mcp = makeMcpApp();
    const id = await openSession(MCP_TOKENS.client);
    const res = await mcp.request('POST', '/mcp', { headers: { 'mcp-session-id': id, 'mcp-protocol-version': '2025-11-25' }, body: listTools });
    expect(res.status).toBe(401);
  });
});

describe('/mcp sessions', () => {
  const headersFor = (id: string) => ({ 'mcp-session-id': id, 'mcp-protocol-version': '2025-11-25' });

  it('binds a session to the principal that opened it: another token gets 404', async () => {
    mcp = makeMcpApp();
    const id = await openSession(MCP_TOKENS.client);
    const res = await mcp.request('POST', '/mcp', { token: MCP_TOKENS.admin, headers: headersFor(id), body: listTools });
    expect(res.status).toBe(404);
  });

  it('answers 400 without a session id and 404 for an unknown one', async () => {
    mcp = makeMcpApp();
    expect((await mcp.request('POST', '/mcp', { token: MCP_TOKENS.client, body: listTools })).status).toBe(400);
    expect((await mcp.request('POST', '/mcp', { token: MCP_TOKENS.client, headers: headersFor('no-such-session'), body: listTools })).status).toBe(404);
  });

  it('opens the server stream with GET and ends the session with DELETE', async () => {
    mcp = makeMcpApp();
    const id = await openSession(MCP_TOKENS.client);
    const stream = await mcp.request('GET', '/mcp', { token: MCP_TOKENS.client, headers: { ...headersFor(id), accept: 'text/event-stream' } });
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/);
    await stream.body?.cancel();
    expect((await mcp.request('DELETE', '/mcp', { token: MCP_TOKENS.client, headers: headersFor(id) })).status).toBe(200);
    expect(mcp.deps.mcpSessions.size).toBe(0);
    expect((await mcp.request('POST', '/mcp', { token: MCP_TOKENS.client, headers: headersFor(id), body: listTools })).status).toBe(404);
  });

  it('refuses sessions beyond MCP_MAX_SESSIONS with 503, and closes them all at shutdown', async () => {
    mcp = makeMcpApp({ MCP_MAX_SESSIONS: '2' });
    await openSession(MCP_TOKENS.client);
    await openSession(MCP_TOKENS.client);
    const third = await mcp.request('POST', '/mcp', { token: MCP_TOKENS.client, body: initializeBody() });
    expect(third.status).toBe(503);
    expect(await errorCode(third)).toBe('RESOURCE_EXHAUSTED');
    await mcp.deps.mcpSessions.closeAll();
    expect(mcp.deps.mcpSessions.size).toBe(0);
  });
});
