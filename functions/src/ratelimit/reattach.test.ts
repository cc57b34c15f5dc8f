import { afterEach, describe, expect, it } from 'vitest';
import { TOKENS, makeTestApp } from '../../../test/helpers/app';

type TestApp = ReturnType<typeof makeTestApp>;
let t: TestApp;
afterEach(() => t.jobs.close());

const post = (app: TestApp, key: string, query = ''): Promise<Response> =>
  Promise.resolve(
    app.app.request(`http://localhost/tools/ping/execute${query}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKENS.client}`, 'content-type': 'application/json', 'idempotency-key': key },
      body: JSON.stringify({ target: '10.0.0.1' }),
    }),
  );

describe('rate limit and Idempotency-Key', () => {
  it('charges a call once: a retry that reattaches to its job is not counted again', async () => {
    t = makeTestApp({ MCP_RATE_LIMIT_PER_MINUTE: '2' });
    expect((await post(t, 'k1', '?async=true')).status).toBe(202);
    // Reattaching with the same key (as the shim's held request does) is free.
    for (let i = 0; i < 3; i += 1) expect((await post(t, 'k1', '?async=true')).status).toBe(202);
    expect((await post(t, 'k2', '?async=true')).status).toBe(202);
    // The third new call is over the limit of 2.
    expect((await post(t, 'k3', '?async=true')).status).toBe(429);
  });
});
