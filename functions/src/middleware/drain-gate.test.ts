import { afterEach, describe, expect, it } from 'vitest';
import { TOKENS, makeTestApp } from '../../../test/helpers/app';
import { DRAIN_RETRY_AFTER_SEC } from './drain-gate';

type TestApp = ReturnType<typeof makeTestApp>;
let t: TestApp;
afterEach(() => t.jobs.close());

const errorOf = async (res: Response): Promise<{ code: string; message: string; details?: Record<string, unknown> }> =>
  ((await res.json()) as { error: { code: string; message: string; details?: Record<string, unknown> } }).error;

describe('drain gate (shutdown)', () => {
  it('lets executes and claims through while not draining', async () => {
    t = makeTestApp({ MCP_RATE_LIMIT_PER_MINUTE: '0' });
    expect((await t.call('POST', '/tools/ping/execute?async=true', TOKENS.client, { target: '10.0.0.1' })).status).toBe(202);
    expect((await t.call('POST', '/runner/claim', TOKENS.runner, { runnerId: 'r1', tools: ['ping'], waitMs: 0 })).status).toBe(200);
  });

  it('refuses a new execute with 503 RESOURCE_EXHAUSTED in the envelope and queues nothing', async () => {
    t = makeTestApp({ MCP_RATE_LIMIT_PER_MINUTE: '0' });
    t.deps.lifecycle.draining = true;
    const res = await t.call('POST', '/tools/ping/execute', TOKENS.client, { target: '10.0.0.1' });
    expect(res.status).toBe(503);
    const error = await errorOf(res);
    expect(error).toMatchObject({ code: 'RESOURCE_EXHAUSTED', message: expect.stringMatching(/shutting down/), details: { shuttingDown: true } });
    expect(await t.jobs.list()).toHaveLength(0);
  });

  it('still answers 401 to an unknown token and 403 to a token without the scope', async () => {
    t = makeTestApp({ MCP_RATE_LIMIT_PER_MINUTE: '0' });
    t.deps.lifecycle.draining = true;
    expect((await t.call('POST', '/tools/ping/execute', 'unknown-token-000000000', { target: '10.0.0.1' })).status).toBe(401);
    expect((await t.call('POST', '/tools/ping/execute', TOKENS.reader, { target: '10.0.0.1' })).status).toBe(403);
    expect((await t.call('POST', '/runner/claim', TOKENS.client, { runnerId: 'r1', tools: ['ping'] })).status).toBe(403);
  });

  it('lets a retry with a known Idempotency-Key reattach, since it starts nothing', async () => {
    t = makeTestApp({ MCP_RATE_LIMIT_PER_MINUTE: '0' });
    const send = (key: string): Promise<Response> =>
      Promise.resolve(
        t.app.request('http://localhost/tools/ping/execute?async=true', {
          method: 'POST',
          headers: { authorization: `Bearer ${TOKENS.client}`, 'content-type': 'application/json', 'idempotency-key': key },
          body: JSON.stringify({ target: '10.0.0.1' }),
        }),
      );
    const first = (await (await send('call-1')).json()) as { jobId: string };
    t.deps.lifecycle.draining = true;
    const again = await send('call-1');
    expect(again.status).toBe(202);
    expect((await again.json()) as { jobId: string; reattached: boolean }).toMatchObject({ jobId: first.jobId, reattached: true });
    expect((await send('call-2')).status).toBe(503);
  });

  it('answers a runner claim at once with 503 and Retry-After instead of parking it', async () => {
    t = makeTestApp({ MCP_RATE_LIMIT_PER_MINUTE: '0' });
    await t.call('POST', '/tools/ping/execute?async=true', TOKENS.client, { target: '10.0.0.1' });
    t.deps.lifecycle.draining = true;
    const res = await t.call('POST', '/runner/claim', TOKENS.runner, { runnerId: 'r1', tools: ['ping'], waitMs: 60_000 });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe(String(DRAIN_RETRY_AFTER_SEC));
    expect((await errorOf(res)).code).toBe('RESOURCE_EXHAUSTED');
    expect(await t.jobs.list({ status: 'queued' })).toHaveLength(1);
  });
});
