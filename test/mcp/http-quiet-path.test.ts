import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import { McpError } from '@modelcontextprotocol/sdk/types.js';
import { type MockInstance, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { errorInfo } from '../../functions/shared/errors/codes';
import { LOOPBACK_PING_RESULT as RESULT } from '../helpers/ping-result';
import { type ServedApp, serveOnLoopback } from '../helpers/serve-app';
import { type HttpSession, connectHttp } from './helpers/http-client';
import { MCP_TOKENS, type McpApp, makeMcpApp } from './helpers/in-process';
import { eventually } from './helpers/lab';

// The thin /mcp path (functions/src/mcp-http/quiet-calls.ts) against the SDK transport's path for the same call: the
// API in process served on 127.0.0.1, the SDK's own Client over Streamable HTTP, jobs played on the job store as a
// runner would (nothing is sent to any target). A `_meta` key the server does not read sends a call the SDK's way
// (functions/mcp/quiet-call.ts), so each call is made both ways and the answers compared; which way a call went is
// seen on the SDK transport's handleRequest.
const SDK_WAY = { 'io.example/way': 'sdk' };

let mcp: McpApp;
let served: ServedApp;
let session: HttpSession;
let handled: MockInstance;

beforeEach(async () => {
  mcp = makeMcpApp({ MCP_ALLOW_LOOPBACK: 'true' }, { queueWaitMs: 5000 });
  served = await serveOnLoopback(mcp.app.fetch);
  session = await connectHttp(served.url, MCP_TOKENS.client);
  handled = vi.spyOn(WebStandardStreamableHTTPServerTransport.prototype, 'handleRequest');
});

afterEach(async () => {
  handled.mockRestore();
  await session.close();
  await mcp.close();
  await served.close();
});

type Play = (m: McpApp) => Promise<void>;

/** Plays a runner: the next ping job it claims ends with `outcome`, after `progress` heartbeats if any. */
const runner =
  (outcome: 'succeeded' | 'failed', progress: number[] = []): Play =>
  async (m) => {
    const lease = await m.deps.jobs.claim({ runnerId: 'quiet-runner', tools: ['ping'], waitMs: 5000 });
    if (!lease) throw new Error('no ping job was queued');
    for (const p of progress) {
      await m.deps.jobs.heartbeat(lease.job.id, lease.leaseId, { progress: p, total: progress.length });
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await m.deps.jobs.complete(
      lease.job.id,
      lease.leaseId,
      outcome === 'succeeded'
        ? { status: 'succeeded', result: RESULT, durationMs: 1 }
        : { status: 'failed', error: errorInfo('EXECUTION_ERROR', 'ping exited with status 2.'), durationMs: 1 },
    );
  };

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

/** POSTs the SDK transport handled so far (the client's GET stream is handled there too, at a time of its own). */
const postsHandled = (): number => handled.mock.calls.filter(([req]) => (req as Request).method === 'POST').length;

/** One call one way: its answer (job ids masked) and whether the SDK transport handled it. */
async function callOneWay(way: 'quiet' | 'sdk', name: string, args: Record<string, unknown>, play?: Play, onprogress?: () => void) {
  const before = postsHandled();
  const calling = session.client
    .callTool({ name, arguments: args, ...(way === 'sdk' ? { _meta: SDK_WAY } : {}) }, undefined, onprogress ? { onprogress } : {})
    .then(
      (result) => ({ result }),
      (err: unknown) => ({ error: err instanceof McpError ? { code: err.code, message: err.message } : String(err) }),
    );
  const [answer] = await Promise.all([calling, play?.(mcp)]);
  return { answer: JSON.parse(JSON.stringify(answer).replace(UUID, '<id>')) as unknown, viaSdk: postsHandled() > before };
}

/** The same call both ways: the quiet one must not touch the transport, the other must, and the answers must match. */
async function bothWays(name: string, args: Record<string, unknown>, play?: Play): Promise<unknown> {
  const quiet = await callOneWay('quiet', name, args, play);
  const sdk = await callOneWay('sdk', name, args, play);
  expect(quiet.viaSdk).toBe(false);
  expect(sdk.viaSdk).toBe(true);
  expect(quiet.answer).toEqual(sdk.answer);
  return quiet.answer;
}

describe('/mcp quiet tools/call and the SDK path give the same answers', () => {
  it('a success: the structured result, its text and the job link', async () => {
    const answer = (await bothWays('ping', { target: '127.0.0.1', count: 1 }, runner('succeeded'))) as { result: Record<string, unknown> };
    expect(answer.result['isError']).toBeUndefined();
    expect(answer.result['structuredContent']).toEqual(RESULT);
  });

  it('a refusal by validation: the same JSON-RPC error', async () => {
    const answer = await bothWays('ping', { target: '127.0.0.1', count: 'many' });
    expect(answer).toMatchObject({ error: { code: -32602 } });
  });

  it('a refusal by the target policy: the same isError result, nothing queued', async () => {
    const answer = await bothWays('ping', { target: '0.0.0.0', count: 1 });
    expect(answer).toMatchObject({ result: { isError: true } });
    expect(await mcp.deps.jobs.list()).toEqual([]);
  });

  it("a tool error: the job's error as the same isError result", async () => {
    const answer = await bothWays('ping', { target: '127.0.0.1', count: 1 }, runner('failed'));
    expect(answer).toMatchObject({ result: { isError: true, _meta: { 'io.netdiag/error': { code: 'EXECUTION_ERROR' } } } });
  });

  it('an unknown tool: the same answer', async () => {
    await bothWays('no_such_tool', { target: '127.0.0.1' });
  });

  it('a call with a progressToken goes the SDK way and gets its progress over the stream, then the same result', async () => {
    const quiet = await callOneWay('quiet', 'ping', { target: '127.0.0.1', count: 1 }, runner('succeeded'));
    let progress = 0;
    const streamed = await callOneWay('quiet', 'ping', { target: '127.0.0.1', count: 1 }, runner('succeeded', [1, 2]), () => (progress += 1));
    expect(streamed.viaSdk).toBe(true);
    expect(progress).toBeGreaterThan(0);
    expect(streamed.answer).toEqual(quiet.answer);
  });

  it('a quiet call cancelled by the client (notifications/cancelled) stops its job', async () => {
    const abort = new AbortController();
    const calling = session.client.callTool({ name: 'ping', arguments: { target: '127.0.0.1', count: 1 } }, undefined, { signal: abort.signal });
    expect(await eventually(async () => (await mcp.deps.jobs.list({ status: 'queued' })).length === 1)).toBe(true);
    abort.abort();
    await expect(calling).rejects.toThrow();
    expect(await eventually(async () => (await mcp.deps.jobs.list({ status: 'cancelled' })).length === 1)).toBe(true);
  });
});
