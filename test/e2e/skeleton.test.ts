import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Running, type RunningApi, closedPort, startApi, startRunner } from '../helpers/processes';
import { type ShimSession, connectShim } from '../helpers/shim-client';
import { type TestTokens, makeTokens } from '../helpers/tokens';

// Everything here runs for real: API and runner processes on loopback, the bundled shim, the SDK client, /usr/bin/ping.
let tokens: TestTokens;
const started: Array<Running | ShimSession> = [];
const track = <T extends Running | ShimSession>(x: T): T => {
  started.push(x);
  return x;
};

async function jobCount(api: RunningApi): Promise<number> {
  const res = await fetch(`${api.url}/jobs`, { headers: { authorization: `Bearer ${tokens.admin}` } });
  return ((await res.json()) as { total: number }).total;
}

const text = (r: object): string =>
  (((r as { content?: unknown }).content as Array<{ type: string; text?: string }> | undefined) ?? []).map((c) => c.text ?? '').join('\n');

beforeAll(() => {
  tokens = makeTokens();
});
afterAll(async () => {
  for (const x of started.reverse()) await ('client' in x ? x.close() : x.stop());
});

describe('ping through shim → API → runner → binary (loopback allowed)', () => {
  let api: RunningApi;
  let shim: ShimSession;
  beforeAll(async () => {
    api = track(await startApi(tokens, { MCP_ALLOW_LOOPBACK: 'true' }));
    track(await startRunner(api, tokens, { MCP_ALLOW_LOOPBACK: 'true' }));
    shim = track(await connectShim({ NETDIAG_API_URL: api.url, NETDIAG_TOKEN: tokens.client }));
  });

  it('lists ping with its schemas and annotations', async () => {
    const { tools } = await shim.client.listTools();
    const ping = tools.find((t) => t.name === 'ping');
    expect(ping).toMatchObject({
      title: 'Ping a host',
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
    });
    expect(ping?.inputSchema.properties).toHaveProperty('target');
    expect(ping?.outputSchema?.properties).toHaveProperty('lossPercent');
  });

  it('pings 127.0.0.1 twice and returns the structured result', async () => {
    const result = await shim.client.callTool({ name: 'ping', arguments: { target: '127.0.0.1', count: 2 } });
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toMatchObject({ target: '127.0.0.1', address: '127.0.0.1', transmitted: 2, received: 2, lossPercent: 0 });
    expect((result.structuredContent as { replies: unknown[] }).replies).toHaveLength(2);
    expect(text(result)).toMatch(/2 sent, 2 received, 0% loss/);
  });

  it('answers arguments that fail the schema with -32602 and runs nothing', async () => {
    const before = await jobCount(api);
    const err = await shim.client.callTool({ name: 'ping', arguments: { target: '127.0.0.1', count: 99 } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(McpError);
    expect((err as McpError).code).toBe(ErrorCode.InvalidParams);
    const unknown = await shim.client.callTool({ name: 'no_such_tool', arguments: {} }).catch((e: unknown) => e);
    expect((unknown as McpError).code).toBe(ErrorCode.InvalidParams);
    expect(await jobCount(api)).toBe(before);
  });
});

describe('targets outside the allowlist (loopback not allowed)', () => {
  let api: RunningApi;
  let shim: ShimSession;
  beforeAll(async () => {
    api = track(await startApi(tokens));
    track(await startRunner(api, tokens));
    shim = track(await connectShim({ NETDIAG_API_URL: api.url, NETDIAG_TOKEN: tokens.client }));
  });

  it.each(['127.0.0.1', '0.0.0.0', '127.1'])('refuses %s with isError FORBIDDEN_TARGET or a validation error, creating no job', async (target) => {
    const outcome = await shim.client.callTool({ name: 'ping', arguments: { target } }).catch((e: unknown) => e);
    if (outcome instanceof McpError) {
      expect(outcome.code).toBe(ErrorCode.InvalidParams);
    } else {
      const r = outcome as { isError?: boolean; structuredContent?: unknown; _meta?: unknown };
      expect(r.isError).toBe(true);
      expect(text(r)).toMatch(/^FORBIDDEN_TARGET: /);
      // Errors carry no structuredContent (it must match the tool's outputSchema); the structured error is in _meta.
      expect(r._meta).toMatchObject({ 'io.netdiag/error': { code: 'FORBIDDEN_TARGET' } });
    }
    expect(await jobCount(api)).toBe(0);
  });
});

describe('authentication', () => {
  let api: RunningApi;
  beforeAll(async () => {
    api = track(await startApi(tokens));
  });

  it('gives 401 without a token or with a wrong one', async () => {
    expect((await fetch(`${api.url}/tools`)).status).toBe(401);
    const wrong = await fetch(`${api.url}/tools/ping/execute`, {
      method: 'POST',
      headers: { authorization: 'Bearer wrong-token', 'content-type': 'application/json' },
      body: '{"target":"10.0.0.1"}',
    });
    expect(wrong.status).toBe(401);
    expect(((await wrong.json()) as { error: { code: string } }).error.code).toBe('UNAUTHORIZED');
  });

  it('turns a rejected token into a clear isError result in the shim, which stays up', async () => {
    const shim = track(await connectShim({ NETDIAG_API_URL: api.url, NETDIAG_TOKEN: 'wrong-token-000000000' }));
    const r = await shim.client.callTool({ name: 'ping', arguments: { target: '10.0.0.1' } });
    expect(r.isError).toBe(true);
    expect(text(r)).toMatch(/UNAUTHORIZED: .*rejected the shim's token/);
    expect(text(r)).toMatch(/NETDIAG_TOKEN/);
    expect(await shim.client.ping()).toEqual({});
  });
});

describe('no runner', () => {
  it('fails with NO_RUNNER after the configured wait instead of hanging', async () => {
    const api = track(await startApi(tokens, { MCP_QUEUE_WAIT_SEC: '1' }));
    const shim = track(await connectShim({ NETDIAG_API_URL: api.url, NETDIAG_TOKEN: tokens.client }));
    const started = Date.now();
    const r = await shim.client.callTool({ name: 'ping', arguments: { target: '10.0.0.1' } });
    const elapsed = Date.now() - started;
    expect(r.isError).toBe(true);
    expect(text(r)).toMatch(/^NO_RUNNER: No runner is connected/);
    expect(elapsed).toBeGreaterThanOrEqual(900);
    expect(elapsed).toBeLessThan(10_000);
  });

  it('says what to fix when the API is not reachable at all', async () => {
    const port = await closedPort();
    const shim = track(await connectShim({ NETDIAG_API_URL: `http://127.0.0.1:${port}`, NETDIAG_TOKEN: tokens.client, NETDIAG_TIMEOUT_MS: '5000' }));
    expect((await shim.client.listTools()).tools).toEqual([]);
    const r = await shim.client.callTool({ name: 'ping', arguments: { target: '10.0.0.1' } });
    expect(r.isError).toBe(true);
    expect(text(r)).toMatch(new RegExp(`^API_UNREACHABLE: Cannot reach the netdiag API at http://127.0.0.1:${port} \\(ECONNREFUSED\\)`));
    expect(text(r)).toMatch(/NETDIAG_API_URL/);
  });
});
