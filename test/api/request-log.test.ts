import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Running, type RunningApi, execute, startApi, startRunner } from '../helpers/processes';
import { type TestTokens, makeTokens } from '../helpers/tokens';
import { jsonLines, until } from './node-entry-support';

// Real dist/api.mjs at LOG_LEVEL=debug with a runner whose long-polls come back empty every second.
let tokens: TestTokens;
let api: RunningApi;
const started: Running[] = [];

beforeAll(async () => {
  tokens = makeTokens();
  api = await startApi(tokens, { MCP_ALLOW_LOOPBACK: 'true', MCP_RATE_LIMIT_PER_MINUTE: '0', MCP_RUNNER_LONG_POLL_SEC: '1', LOG_LEVEL: 'debug' });
  started.push(api, await startRunner(api, tokens, { MCP_ALLOW_LOOPBACK: 'true', MCP_RUNNER_LONG_POLL_SEC: '1' }));
});
afterAll(async () => {
  for (const r of started.reverse()) await r.stop();
});

const requestLines = (): Array<Record<string, unknown>> => jsonLines(api.logs()).filter((l) => l['msg'] === 'request');

describe('request logs of a running API', () => {
  it('writes one line per request with id, method, path, status, duration and principal', async () => {
    const call = await execute(api, tokens.client, 'ping', { target: '127.0.0.1', count: 1 });
    expect(call.status).toBe(200);
    const line = await until('the execute line', () => requestLines().find((l) => l['path'] === '/tools/ping/execute'));
    expect(line).toMatchObject({
      level: 30,
      requestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      method: 'POST',
      status: 200,
      durationMs: expect.any(Number),
      principal: 'client',
    });
  });

  it('logs empty runner long-polls at debug, so they vanish at LOG_LEVEL=info', async () => {
    const emptyClaims = await until('two empty claims', () => {
      const claims = requestLines().filter((l) => l['path'] === '/runner/claim' && l['level'] === 20);
      return claims.length >= 2 ? claims : undefined;
    });
    expect(emptyClaims[0]).toMatchObject({ method: 'POST', status: 200, principal: 'runner' });
    // The one claim that carried the ping job is the only claim logged at info.
    expect(requestLines().filter((l) => l['path'] === '/runner/claim' && l['level'] === 30)).toHaveLength(1);
  });

  it('never writes a token, even for refused ones', async () => {
    const bogus = 'bogus-token-that-must-not-be-logged';
    expect((await fetch(`${api.url}/tools`, { headers: { authorization: `Bearer ${bogus}` } })).status).toBe(401);
    await until('the refused line', () => requestLines().find((l) => l['status'] === 401));
    const logs = api.logs();
    for (const token of [tokens.client, tokens.runner, tokens.admin, tokens.reader, bogus]) expect(logs).not.toContain(token);
    expect(requestLines().find((l) => l['status'] === 401)).toMatchObject({ principal: null, path: '/tools' });
  });
});
