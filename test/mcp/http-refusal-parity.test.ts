import { McpError } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, describe, expect, it } from 'vitest';
import { ERROR_META_KEY } from '../../functions/mcp/answers';
import { MCP_TOKENS, type McpApp, makeMcpApp } from './helpers/in-process';

// Each refusal of a tool call over /mcp (the SDK's Client on a real session, the app in process; the call goes the
// direct way: functions/src/tool-call/direct-call.ts) against the same call's POST /tools/{name}/execute: the same
// code, message, advice and details, and no job. No runner is connected and no target is ever reached.
let mcp: McpApp | undefined;
afterEach(async () => {
  await mcp?.close();
  mcp = undefined;
});

interface Refusal {
  code: unknown;
  message: unknown;
  recoverySuggestion?: unknown;
  details?: unknown;
}

/** The refusal REST answers with (status and envelope, the request id left out). */
async function overRest(m: McpApp, tool: string, args: unknown, token: string = MCP_TOKENS.client): Promise<{ status: number; refusal: Refusal }> {
  const res = await m.request('POST', `/tools/${tool}/execute`, { token, body: args });
  const { requestId: _id, ...refusal } = ((await res.json()) as { error: Refusal & { requestId?: string } }).error;
  return { status: res.status, refusal };
}

/** The refusal /mcp answers with: an isError result's error meta, or a protocol error's data (invalid params). */
async function overMcp(m: McpApp, tool: string, args: Record<string, unknown>, token: string = MCP_TOKENS.client): Promise<Refusal> {
  const { client, close } = await m.connect(token);
  try {
    const r = await client.callTool({ name: tool, arguments: args });
    expect(r.isError).toBe(true);
    return r._meta?.[ERROR_META_KEY] as Refusal;
  } catch (err) {
    if (!(err instanceof McpError)) throw err;
    const data = err.data as Refusal;
    // A protocol error carries the message as its own, after the SDK's "MCP error <code>: " prefix.
    return { ...data, message: err.message.replace(/^MCP error -?\d+: /, '') };
  } finally {
    await close();
  }
}

const jobs = async (m: McpApp): Promise<number> => (await m.deps.jobs.list()).length;
const refused = { target: '0.0.0.0', count: 1 }; // a target the policy always refuses

describe('a refused tools/call over /mcp answers as POST /tools/{name}/execute does', () => {
  const none = async (): Promise<void> => undefined;
  const disable = async (m: McpApp): Promise<void> => void (await m.deps.registry.setEnabled('nmap', false));
  const drain = async (m: McpApp): Promise<void> => void (m.deps.lifecycle.draining = true);
  const CASES: Array<[string, Record<string, string>, (m: McpApp) => Promise<void>, string, Record<string, unknown>, string, number]> = [
    ['a forbidden target', {}, none, 'ping', refused, 'FORBIDDEN_TARGET', 403],
    ['parameters the schema refuses', {}, none, 'ping', { target: '0.0.0.0', count: 'many' }, 'VALIDATION_ERROR', 400],
    ['arguments over MCP_MAX_ARGS_LEN', { MCP_MAX_ARGS_LEN: '1024' }, none, 'ping', { target: 'a'.repeat(1100) }, 'VALIDATION_ERROR', 400],
    ['a disabled tool', {}, disable, 'nmap', { target: '0.0.0.0', ports: '80' }, 'NOT_FOUND', 404],
    ['a new call while draining', {}, drain, 'ping', refused, 'RESOURCE_EXHAUSTED', 503],
  ];
  it.each(CASES)('%s', async (_what, env, arrange, tool, args, code, status) => {
    const m = (mcp = makeMcpApp(env));
    await arrange(m);
    const rest = await overRest(m, tool, args);
    expect(rest).toMatchObject({ status, refusal: { code } });
    if (code === 'RESOURCE_EXHAUSTED') {
      // No new session while draining: the call goes on a session opened before (as a client's would).
      m.deps.lifecycle.draining = false;
      const session = await m.connect(MCP_TOKENS.client);
      m.deps.lifecycle.draining = true;
      try {
        const r = await session.client.callTool({ name: tool, arguments: args });
        expect(r._meta?.[ERROR_META_KEY]).toEqual(rest.refusal);
      } finally {
        m.deps.lifecycle.draining = false;
        await session.close();
      }
    } else {
      // A disabled tool is a protocol error whose data leaves out the details (functions/mcp/answers.ts).
      const { details: _details, ...withoutDetails } = rest.refusal;
      expect(await overMcp(m, tool, args)).toEqual(code === 'NOT_FOUND' ? withoutDetails : rest.refusal);
    }
    expect(await jobs(m)).toBe(0);
  });

  it('a rate limit: one bucket for both ways, and the same RATE_LIMITED', async () => {
    const m = (mcp = makeMcpApp({ MCP_RATE_LIMIT_PER_MINUTE: '2' }));
    expect((await overMcp(m, 'ping', refused)).code).toBe('FORBIDDEN_TARGET');
    expect((await overRest(m, 'ping', refused)).refusal.code).toBe('FORBIDDEN_TARGET');
    const mcpLimited = await overMcp(m, 'ping', refused);
    expect(mcpLimited).toMatchObject({ code: 'RATE_LIMITED' });
    const rest = await overRest(m, 'ping', refused);
    expect(rest.status).toBe(429);
    // retryAfterSec counts down: compare the rest exactly.
    const within = (r: Refusal): unknown => ({ ...r, details: { ...(r.details as object), retryAfterSec: expect.any(Number) } });
    expect(mcpLimited).toEqual(within(rest.refusal));
    expect(await jobs(m)).toBe(0);
  });

  it('a token without tools:run: FORBIDDEN both ways, /mcp refusing at its own door', async () => {
    const m = (mcp = makeMcpApp());
    expect(await overRest(m, 'ping', refused, MCP_TOKENS.reader)).toMatchObject({ status: 403, refusal: { code: 'FORBIDDEN' } });
    const res = await m.request('POST', '/mcp', {
      token: MCP_TOKENS.reader,
      body: { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'ping', arguments: refused } },
    });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: Refusal }).error.code).toBe('FORBIDDEN');
    expect(await jobs(m)).toBe(0);
  });
});
