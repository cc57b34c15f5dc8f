import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { TOKENS } from '../../../test/helpers/app';
import { createApp } from '../app';
import { ConfigError } from '../../shared/config/env-schema';
import { createDeps } from '../create-deps';
import type { AppDeps } from '../deps';

const sha256 = (t: string): string => createHash('sha256').update(t).digest('hex');
const tokens = [
  { id: 'client', sha256: sha256(TOKENS.client), scopes: ['tools:read', 'tools:run'] as const },
  { id: 'admin', sha256: sha256(TOKENS.admin), scopes: ['tools:read', 'tools:run', 'tools:admin'] as const },
].map((t) => ({ ...t, scopes: [...t.scopes] }));

let deps: AppDeps | undefined;
afterEach(() => deps?.jobs.close());

/** An app with a clock the test moves; calls are async (202) so nothing waits for a runner. */
function setup(env: Record<string, string> = {}) {
  const clock = { t: 1_700_000_000_000 };
  deps = createDeps({ env, tokens, version: 'test', now: () => clock.t });
  const app = createApp(deps);
  const call = (tool: string, token: string = TOKENS.client, body: unknown = { target: '10.0.0.1' }) =>
    Promise.resolve(
      app.request(`http://localhost/tools/${tool}/execute?async=true`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }),
    );
  return { app, clock, call };
}

const burst = async (call: () => Promise<Response>, n: number): Promise<number[]> => {
  const statuses: number[] = [];
  for (let i = 0; i < n; i++) statuses.push((await call()).status);
  return statuses;
};

describe('rate limit on POST /tools/{name}/execute (default 10 per 60 s per token and tool)', () => {
  it('answers the 11th call in the window with 429, Retry-After and the envelope', async () => {
    const { call } = setup();
    expect(await burst(() => call('ping'), 10)).toEqual(Array(10).fill(202));
    const res = await call('ping');
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('6');
    const body = (await res.json()) as { error: Record<string, unknown> };
    expect(body.error).toMatchObject({ code: 'RATE_LIMITED', details: { tool: 'ping', limit: 10, windowSec: 60, retryAfterSec: 6 } });
    expect(String(body.error['recoverySuggestion'])).toMatch(/Retry-After/);
    expect(typeof body.error['requestId']).toBe('string');
  });

  it('leaves another principal and another tool unaffected', async () => {
    const { call } = setup();
    await burst(() => call('ping'), 10);
    expect((await call('ping')).status).toBe(429);
    expect((await call('ping', TOKENS.admin)).status).toBe(202);
    expect((await call('traceroute')).status).toBe(202);
  });

  it('refills with time (injected clock)', async () => {
    const { call, clock } = setup();
    await burst(() => call('ping'), 10);
    expect((await call('ping')).status).toBe(429);
    clock.t += 5_999;
    expect((await call('ping')).status).toBe(429);
    clock.t += 1;
    expect((await call('ping')).status).toBe(202);
    clock.t += 60_000;
    expect(await burst(() => call('ping'), 10)).toEqual(Array(10).fill(202));
    expect((await call('ping')).status).toBe(429);
  });

  it('is checked before the body is validated: invalid calls count too', async () => {
    const { call } = setup({ MCP_RATE_LIMIT_PER_MINUTE: '1' });
    expect((await call('ping', TOKENS.client, { target: ';id' })).status).toBe(400);
    expect((await call('ping')).status).toBe(429);
  });

  it('takes per-tool limits from MCP_RATE_LIMITS and the global one from MCP_RATE_LIMIT_PER_MINUTE', async () => {
    const { call } = setup({ MCP_RATE_LIMIT_PER_MINUTE: '3', MCP_RATE_LIMITS: 'nmap=1, ping=0' });
    expect(await burst(() => call('nmap', TOKENS.client, { target: '10.0.0.1', ports: '22' }), 2)).toEqual([202, 429]);
    expect(await burst(() => call('ping'), 20)).toEqual(Array(20).fill(202));
    expect(await burst(() => call('traceroute'), 4)).toEqual([202, 202, 202, 429]);
  });

  it('is off with MCP_RATE_LIMIT_PER_MINUTE=0', async () => {
    const { call } = setup({ MCP_RATE_LIMIT_PER_MINUTE: '0' });
    expect(await burst(() => call('ping'), 30)).toEqual(Array(30).fill(202));
  });

  it('refuses malformed or unknown per-tool limits at start-up, naming the variable', () => {
    for (const bad of ['nmap', 'nmap=x', 'nmap=-1', 'nmap=2,nmap=3', 'nmap=999999']) {
      expect(() => createDeps({ env: { MCP_RATE_LIMITS: bad }, tokens, version: 'test' })).toThrow(/^MCP_RATE_LIMITS: /);
    }
    expect(() => createDeps({ env: { MCP_RATE_LIMITS: 'nmpa=2' }, tokens, version: 'test' })).toThrow(ConfigError);
    expect(() => createDeps({ env: { MCP_RATE_LIMIT_PER_MINUTE: 'ten' }, tokens, version: 'test' })).toThrow(/^MCP_RATE_LIMIT_PER_MINUTE: /);
  });
});

describe('MCP_MAX_ARGS_LEN bounds the tool-call body', () => {
  const big = { target: '10.0.0.1', path: `/${'a'.repeat(3000)}` };

  it('refuses a body over the limit with the envelope, declared length or not', async () => {
    const { app, call } = setup();
    const declared = await call('http_probe', TOKENS.client, big);
    expect(declared.status).toBe(400);
    const body = (await declared.json()) as { error: Record<string, unknown> };
    expect(body.error).toMatchObject({ code: 'VALIDATION_ERROR', details: { field: 'body', maxBytes: 2048 } });
    expect(typeof body.error['requestId']).toBe('string');

    const chunks = [new TextEncoder().encode(JSON.stringify(big))];
    const stream = new ReadableStream<Uint8Array>({ pull: (c) => (chunks.length ? c.enqueue(chunks.shift()) : c.close()) });
    const streamed = await app.request('http://localhost/tools/http_probe/execute?async=true', {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKENS.client}`, 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect(streamed.status).toBe(400);
    expect(((await streamed.json()) as { error: { details: unknown } }).error.details).toMatchObject({ field: 'body', maxBytes: 2048 });
    expect(await deps?.jobs.list()).toHaveLength(0);
  });

  it('lets a larger limit through and still validates the parameters', async () => {
    const { call } = setup({ MCP_MAX_ARGS_LEN: '8192' });
    const res = await call('http_probe', TOKENS.client, big);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { details: { issues?: unknown } } }).error.details.issues).toBeDefined(); // the path's 1024-char bound
    expect((await call('http_probe', TOKENS.client, { target: '10.0.0.1', path: '/healthz' })).status).toBe(202);
  });
});
