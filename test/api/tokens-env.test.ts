import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { type Running, startApi } from '../helpers/processes';
import { makeTokens } from '../helpers/tokens';

// Real dist/api.mjs: token records from MCP_TOKENS instead of MCP_TOKENS_FILE.
const started: Running[] = [];
afterAll(async () => {
  for (const r of started) await r.stop();
});

const startFailure = (promise: Promise<unknown>): Promise<string> =>
  promise.then(
    () => 'started',
    (err: unknown) => String(err),
  );

describe('MCP_TOKENS', () => {
  it('serves with the token records given in MCP_TOKENS', async () => {
    const tokens = makeTokens();
    const api = await startApi(tokens, { MCP_TOKENS_FILE: '', MCP_TOKENS: readFileSync(tokens.file, 'utf8') });
    started.push(api);
    expect((await fetch(`${api.url}/tools`, { headers: { authorization: `Bearer ${tokens.client}` } })).status).toBe(200);
    expect((await fetch(`${api.url}/tools`, { headers: { authorization: 'Bearer not-a-token-000000' } })).status).toBe(401);
  });

  it('refuses to start when both MCP_TOKENS and MCP_TOKENS_FILE are set, naming both', async () => {
    const tokens = makeTokens();
    const failure = await startFailure(startApi(tokens, { MCP_TOKENS: readFileSync(tokens.file, 'utf8') }));
    expect(failure).toMatch(/API exited with 78/);
    expect(failure).toMatch(/configuration error: MCP_TOKENS and MCP_TOKENS_FILE are both set/);
  });

  it('refuses to start when neither is set', async () => {
    const tokens = makeTokens();
    const failure = await startFailure(startApi(tokens, { MCP_TOKENS_FILE: '' }));
    expect(failure).toMatch(/API exited with 78/);
    expect(failure).toMatch(/MCP_TOKENS_FILE or MCP_TOKENS: neither is set/);
  });
});
