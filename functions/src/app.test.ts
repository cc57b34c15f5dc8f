import { afterEach, describe, expect, it } from 'vitest';
import { TOKENS, makeTestApp } from '../../test/helpers/app';
import { LOOPBACK_PING_RESULT as pingResult } from '../../test/helpers/ping-result';

type TestApp = ReturnType<typeof makeTestApp>;
let t: TestApp;
afterEach(() => t.jobs.close());

async function envelope(
  res: Response,
): Promise<{ code: string; message: string; recoverySuggestion: string; requestId?: string; details?: Record<string, unknown> }> {
  const body = (await res.json()) as { error: { code: string; message: string; recoverySuggestion: string; requestId?: string } };
  expect(Object.keys(body)).toEqual(['error']);
  expect(body.error.recoverySuggestion.length).toBeGreaterThan(0);
  return body.error;
}

describe('auth', () => {
  it('serves /livez without a token', async () => {
    t = makeTestApp();
    expect((await t.call('GET', '/livez')).status).toBe(200);
  });

  it('answers 401 with the envelope for a missing or unknown token, 403 for a missing scope', async () => {
    t = makeTestApp();
    const none = await t.call('GET', '/tools');
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect((await envelope(none)).code).toBe('UNAUTHORIZED');
    expect((await t.call('GET', '/tools', 'not-a-real-token')).status).toBe(401);
    const runner = await t.call('GET', '/tools', TOKENS.runner);
    expect(runner.status).toBe(403);
    expect((await envelope(runner)).code).toBe('FORBIDDEN');
    expect((await t.call('GET', '/tools', TOKENS.reader)).status).toBe(200);
    expect((await t.call('POST', '/tools/ping/execute', TOKENS.reader, { target: '10.0.0.1' })).status).toBe(403);
    expect((await t.call('POST', '/runner/claim', TOKENS.client, { runnerId: 'r', tools: ['ping'], waitMs: 0 })).status).toBe(403);
  });

  it("honours a token's tool list", async () => {
    t = makeTestApp();
    const res = await t.call('POST', '/tools/ping/execute', TOKENS.nmapOnly, { target: '10.0.0.1' });
    expect(res.status).toBe(403);
    expect((await envelope(res)).message).toMatch(/may not run ping/);
  });
});

describe('GET /tools', () => {
  it('lists ping with JSON Schemas, all four annotations and the allowed targets', async () => {
    t = makeTestApp();
    const body = (await (await t.call('GET', '/tools', TOKENS.reader)).json()) as { tools: Array<Record<string, unknown>> };
    const ping = body.tools.find((x) => x['name'] === 'ping');
    expect(ping).toMatchObject({
      title: 'Ping a host',
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
      inputSchema: { type: 'object', required: ['target'] },
      outputSchema: { type: 'object' },
      available: false,
    });
    expect(String(ping?.['description'])).toContain('Allowed targets: 10.0.0.0/8');
  });
});

describe('POST /tools/ping/execute refusals create no job', () => {
  it.each([
    [{ target: ';id' }, 400, 'VALIDATION_ERROR'],
    [{ target: '10.0.0.1', count: 11 }, 400, 'VALIDATION_ERROR'],
    [{ target: '10.0.0.1', intervalSec: 0.01 }, 400, 'VALIDATION_ERROR'],
    [{}, 400, 'VALIDATION_ERROR'],
    [{ target: '010.0.0.1' }, 400, 'VALIDATION_ERROR'],
    [{ target: '10.0.0.0/24' }, 400, 'VALIDATION_ERROR'],
    [{ target: '0.0.0.0' }, 403, 'FORBIDDEN_TARGET'],
    [{ target: '127.0.0.1' }, 403, 'FORBIDDEN_TARGET'],
    [{ target: '169.254.169.254' }, 403, 'FORBIDDEN_TARGET'],
    [{ target: 'evil-lab.internal' }, 403, 'FORBIDDEN_TARGET'],
  ])('%j → %i %s', async (params, status, code) => {
    t = makeTestApp();
    const res = await t.call('POST', '/tools/ping/execute', TOKENS.client, params);
    expect(res.status).toBe(status);
    expect((await envelope(res)).code).toBe(code);
    expect(await t.jobs.list()).toHaveLength(0);
  });

  it('answers malformed JSON and unknown routes with the envelope', async () => {
    t = makeTestApp();
    const bad = await t.call('POST', '/tools/ping/execute', TOKENS.client, '{"target":');
    expect(bad.status).toBe(400);
    expect((await envelope(bad)).code).toBe('VALIDATION_ERROR');
    const missing = await t.call('GET', '/nope', TOKENS.client);
    expect(missing.status).toBe(404);
    expect((await envelope(missing)).code).toBe('NOT_FOUND');
  });
});

describe('a call end to end in process', () => {
  it('holds the call until a runner claims and completes the job', async () => {
    t = makeTestApp({ MCP_ALLOW_LOOPBACK: 'true' });
    const pending = t.call('POST', '/tools/ping/execute', TOKENS.client, { target: '127.0.0.1', count: 1 });
    const claim = (await (await t.call('POST', '/runner/claim', TOKENS.runner, { runnerId: 'r1', tools: ['ping'], waitMs: 2000 })).json()) as {
      job: { id: string; leaseId: string; params: Record<string, unknown>; timeoutSec: number };
    };
    expect(claim.job.params).toMatchObject({ target: '127.0.0.1', count: 1, intervalSec: 1, packetSize: 56 });
    expect(claim.job.timeoutSec).toBe(30);
    const done = await t.call('POST', `/runner/jobs/${claim.job.id}/complete`, TOKENS.runner, {
      leaseId: claim.job.leaseId,
      outcome: { status: 'succeeded', result: pingResult, resolvedAddress: '127.0.0.1', durationMs: 5 },
    });
    expect(done.status).toBe(200);
    const res = await pending;
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ jobId: claim.job.id, tool: 'ping', status: 'succeeded', result: pingResult, resolvedAddress: '127.0.0.1' });
    const job = (await (await t.call('GET', `/jobs/${claim.job.id}`, TOKENS.client)).json()) as Record<string, unknown>;
    expect(job).toMatchObject({ status: 'succeeded', runnerId: 'r1', attempts: 1 });
  });

  it('turns a runner failure into the envelope with the job id and partial result', async () => {
    t = makeTestApp({ MCP_ALLOW_LOOPBACK: 'true' });
    const pending = t.call('POST', '/tools/ping/execute', TOKENS.client, { target: '127.0.0.1' });
    const { job } = (await (await t.call('POST', '/runner/claim', TOKENS.runner, { runnerId: 'r1', tools: ['ping'], waitMs: 2000 })).json()) as {
      job: { id: string; leaseId: string };
    };
    await t.call('POST', `/runner/jobs/${job.id}/complete`, TOKENS.runner, {
      leaseId: job.leaseId,
      outcome: { status: 'failed', error: { code: 'TIMEOUT', message: 'too slow', recoverySuggestion: 'less' }, result: { partial: true }, durationMs: 5 },
    });
    const res = await pending;
    expect(res.status).toBe(504);
    expect(await envelope(res)).toMatchObject({ code: 'TIMEOUT', message: 'too slow', details: { jobId: job.id, partialResult: { partial: true } } });
  });

  it('refuses a result that does not match the tool schema', async () => {
    t = makeTestApp({ MCP_ALLOW_LOOPBACK: 'true' });
    const pending = t.call('POST', '/tools/ping/execute', TOKENS.client, { target: '127.0.0.1' });
    const { job } = (await (await t.call('POST', '/runner/claim', TOKENS.runner, { runnerId: 'r1', tools: ['ping'], waitMs: 2000 })).json()) as {
      job: { id: string; leaseId: string };
    };
    await t.call('POST', `/runner/jobs/${job.id}/complete`, TOKENS.runner, {
      leaseId: job.leaseId,
      outcome: { status: 'succeeded', result: { transmitted: 'lots' }, durationMs: 1 },
    });
    const res = await pending;
    expect(res.status).toBe(502);
    expect((await envelope(res)).code).toBe('EXECUTION_ERROR');
  });

  it('fails with NO_RUNNER after the queue wait when no runner claims', async () => {
    t = makeTestApp({}, { queueWaitMs: 50 });
    const res = await t.call('POST', '/tools/ping/execute', TOKENS.client, { target: '10.0.0.1' });
    expect(res.status).toBe(503);
    expect(await envelope(res)).toMatchObject({ code: 'NO_RUNNER', details: { connectedRunners: 0 } });
    expect((await t.jobs.list())[0]).toMatchObject({ status: 'failed' });
    expect(await t.jobs.list({ status: 'queued' })).toHaveLength(0);
  });

  it('answers the claim with no job after the wait', async () => {
    t = makeTestApp();
    const res = await t.call('POST', '/runner/claim', TOKENS.runner, { runnerId: 'r1', tools: ['ping'], waitMs: 10 });
    expect(await res.json()).toEqual({ pollAgainMs: 0 });
  });
});
