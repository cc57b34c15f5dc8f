// Issue 10, "Tests": the rate limit holds across replicas. With MCP_RATE_LIMIT_PER_MINUTE=10 on both API processes
// (one Redis), 10 calls through API 1 use up the token's budget and the 11th, through API 2, is refused with 429
// RATE_LIMITED and Retry-After (docs/design.md, "Broker"). No runner: async calls are accepted (202) and wait queued,
// so nothing is sent anywhere. A second token keeps its own budget. Loopback only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApi } from '../../helpers/processes';
import { Started, startTwoReplicas, call } from '../../helpers/replicas';
import { type TestTokens, makeTokens } from '../../helpers/tokens';

const started = new Started();
let tokens: TestTokens;
let api1: RunningApi;
let api2: RunningApi;

beforeAll(async () => {
  tokens = makeTokens();
  const env = { MCP_RATE_LIMIT_PER_MINUTE: '10', MCP_QUEUE_WAIT_SEC: '120' };
  ({ api1, api2 } = await startTwoReplicas(started, tokens, env));
}, 120_000);

afterAll(async () => {
  await started.stopAll();
});

const ping = (api: RunningApi, token: string, i: number) =>
  fetch(`${api.url}/tools/ping/execute?async=true`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ target: `127.0.0.${40 + i}`, count: 1 }),
  });

describe('the rate limit across two replicas', () => {
  it('10 calls through API 1, and the 11th through API 2 gets 429', async () => {
    for (let i = 0; i < 10; i += 1) {
      const res = await ping(api1, tokens.client, i);
      expect(res.status, await res.text()).toBe(202);
    }
    const refused = await ping(api2, tokens.client, 10);
    const body = (await refused.json()) as { error: { code: string; details: { limit: number } } };
    expect(refused.status, JSON.stringify(body)).toBe(429);
    expect(body.error).toMatchObject({ code: 'RATE_LIMITED', details: { limit: 10 } });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    // Refused before a job exists: 10 jobs, not 11.
    expect((await call(api2, tokens.client, 'GET', '/jobs?status=queued')).body['total']).toBe(10);
    // Per token: the admin token (tools:run too) still has its budget, on either replica.
    expect((await ping(api2, tokens.admin, 11)).status).toBe(202);
  });
});
