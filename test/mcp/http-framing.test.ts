import { afterEach, describe, expect, it } from 'vitest';
import { MCP_TOKENS, type McpApp, initializeBody, makeMcpApp } from './helpers/in-process';
import { LOOPBACK_PING_RESULT as RESULT } from '../helpers/ping-result';

// /mcp in process, raw POSTs: a request whose final response is the first thing the server sends for it is answered
// as application/json; one that gets a notification first keeps the event stream (functions/src/mcp-http/answer-tap.ts).
let mcp: McpApp;
afterEach(async () => {
  await mcp?.close();
});

async function session(m: McpApp): Promise<Record<string, string>> {
  const init = await m.request('POST', '/mcp', { token: MCP_TOKENS.client, body: initializeBody() });
  const id = init.headers.get('mcp-session-id') ?? '';
  await init.text();
  const headers = { 'mcp-session-id': id, 'mcp-protocol-version': '2025-11-25' };
  await (await m.request('POST', '/mcp', { token: MCP_TOKENS.client, headers, body: { jsonrpc: '2.0', method: 'notifications/initialized' } })).text();
  return headers;
}

/** Plays a runner on the job store: the next ping job it claims succeeds at once. */
async function completeNextPing(m: McpApp): Promise<void> {
  const lease = await m.deps.jobs.claim({ runnerId: 'framing-runner', tools: ['ping'], waitMs: 5000 });
  if (!lease) throw new Error('no ping job was queued');
  await m.deps.jobs.complete(lease.job.id, lease.leaseId, { status: 'succeeded', result: RESULT, durationMs: 1 });
}

const call = (id: number, args: Record<string, unknown>, meta?: Record<string, unknown>) => ({
  jsonrpc: '2.0',
  id,
  method: 'tools/call',
  params: { name: 'ping', arguments: args, ...(meta ? { _meta: meta } : {}) },
});

describe('/mcp answer framing', () => {
  it('answers a tools/call whose result comes first as JSON, with the session id', async () => {
    mcp = makeMcpApp({ MCP_ALLOW_LOOPBACK: 'true' });
    const headers = await session(mcp);
    const [res] = await Promise.all([
      mcp.request('POST', '/mcp', { token: MCP_TOKENS.client, headers, body: call(7, { target: '127.0.0.1', count: 1 }) }),
      completeNextPing(mcp),
    ]);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(res.headers.get('mcp-session-id')).toBe(headers['mcp-session-id']);
    const body = (await res.json()) as { id: number; result: { structuredContent: unknown; isError?: boolean } };
    expect(body.id).toBe(7);
    expect(body.result.isError).toBeUndefined();
    expect(body.result.structuredContent).toEqual(RESULT);
  });

  it('answers a protocol error as a JSON-RPC error in JSON', async () => {
    mcp = makeMcpApp({ MCP_ALLOW_LOOPBACK: 'true' });
    const headers = await session(mcp);
    const res = await mcp.request('POST', '/mcp', { token: MCP_TOKENS.client, headers, body: call(8, { target: '127.0.0.1', count: 'many' }) });
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(await res.json()).toMatchObject({ jsonrpc: '2.0', id: 8, error: { code: -32602 } });
  });

  it('keeps the event stream when a notification comes first: the notification, then the result', async () => {
    mcp = makeMcpApp({ MCP_ALLOW_LOOPBACK: 'true' }, { queueWaitMs: 100 });
    const headers = await session(mcp);
    await (
      await mcp.request('POST', '/mcp', {
        token: MCP_TOKENS.client,
        headers,
        body: { jsonrpc: '2.0', id: 1, method: 'logging/setLevel', params: { level: 'debug' } },
      })
    ).text();
    // No runner: the job is queued (a debug message), then fails with NO_RUNNER (an error message, then the result).
    const res = await mcp.request('POST', '/mcp', { token: MCP_TOKENS.client, headers, body: call(9, { target: '127.0.0.1', count: 1 }) });
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const events = (await res.text())
      .split('\n')
      .filter((l) => l.startsWith('data: '))
      .map((l) => JSON.parse(l.slice('data: '.length)) as { method?: string; id?: number; result?: { isError?: boolean } });
    expect(events.map((e) => e.method ?? `response ${String(e.id)}`)).toEqual(['notifications/message', 'notifications/message', 'response 9']);
    expect(events.at(-1)?.result?.isError).toBe(true);
  });

  it('answers a waiting call when its session is deleted, and a caller that goes away is let go', async () => {
    mcp = makeMcpApp({ MCP_ALLOW_LOOPBACK: 'true' });
    const headers = await session(mcp);
    // Nothing claims these jobs: the calls wait until their session ends or their caller leaves.
    const waiting = mcp.request('POST', '/mcp', { token: MCP_TOKENS.client, headers, body: call(10, { target: '127.0.0.1', count: 1 }) });
    const caller = new AbortController();
    const leaving = mcp.app.fetch(
      new Request('http://localhost/mcp', {
        method: 'POST',
        headers: {
          ...headers,
          authorization: `Bearer ${MCP_TOKENS.client}`,
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
        },
        body: JSON.stringify(call(11, { target: '127.0.0.1', count: 1 })),
        signal: caller.signal,
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    caller.abort();
    expect((await leaving).headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect((await mcp.request('DELETE', '/mcp', { token: MCP_TOKENS.client, headers })).status).toBe(200);
    const res = await waiting;
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
  });
});
