import { afterEach, describe, expect, it } from 'vitest';
import { TOKENS, makeTestApp } from '../../../test/helpers/app';
import { LOOPBACK_PING_RESULT } from '../../../test/helpers/ping-result';
import { createApiPort } from '../../mcp/api-port';
import type { ApiAnswer } from '../../mcp/api-answer';
import { directExecute } from './direct-execute';
import { typedInProcessClient } from './in-process-port';

// The /mcp port's direct execute (direct-execute.ts: the route's checks and job as functions) against a real
// POST /tools/{name}/execute through the app (the typed client, as the port made it before): the same call must come
// back as the same answer, refusals included. Nothing runs a tool: jobs are claimed and completed on the job store
// as a runner would.
type TestApp = ReturnType<typeof makeTestApp>;
let t: TestApp | undefined;
afterEach(async () => {
  await t?.jobs.close();
  t = undefined;
});

function ports(app: TestApp) {
  return { rest: createApiPort(typedInProcessClient(app.app)), direct: directExecute(app.deps) };
}

const ctx = (token: string | undefined, signal = new AbortController().signal) => ({ signal, headers: token ? { authorization: `Bearer ${token}` } : {} });
// Job and request ids differ from call to call.
const mask = (a: ApiAnswer<unknown>): unknown => JSON.parse(JSON.stringify(a).replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<id>'));
const ping = { target: '127.0.0.1', count: 1 };

describe('direct execute', () => {
  it.each([
    ['a target the policy refuses (loopback not allowed)', TOKENS.client, 'ping', ping, undefined, 403],
    ['arguments the schema refuses', TOKENS.client, 'ping', { target: '127.0.0.1', count: 'many' }, undefined, 400],
    ['an argument the schema does not name (dropped; then the policy)', TOKENS.client, 'ping', { ...ping, extra: 1 }, undefined, 403],
    ['arguments over MCP_MAX_ARGS_LEN (multi-byte text counted in bytes)', TOKENS.client, 'ping', { target: 'é'.repeat(1100) }, undefined, 400],
    ['an Idempotency-Key the route refuses', TOKENS.client, 'ping', ping, 'not a key!', 400],
    ['no token', undefined, 'ping', ping, undefined, 401],
    ['an unknown token', 'no-such-token-xxxxxxxx', 'ping', ping, undefined, 401],
    ['a token without tools:run', TOKENS.reader, 'ping', ping, undefined, 403],
    ['a token whose tool list leaves the tool out', TOKENS.nmapOnly, 'ping', ping, undefined, 403],
    ['a tool the API does not have', TOKENS.client, 'no_such_tool', ping, undefined, 404],
  ])('answers %s exactly as the route does, and starts nothing', async (_what, token, tool, args, key, status) => {
    t = makeTestApp();
    const { rest, direct } = ports(t);
    const answer = await direct(tool, args, key, ctx(token), key !== undefined);
    expect(answer).toMatchObject({ kind: 'error', status });
    expect(mask(answer)).toEqual(mask(key === undefined ? await rest.runOnce(tool, args, ctx(token)) : await rest.startJob(tool, args, key, ctx(token))));
    expect(await t.jobs.list()).toHaveLength(0);
  });

  it('refuses a disabled tool, an exhausted rate limit and a new call while draining exactly as the route does', async () => {
    t = makeTestApp({ MCP_RATE_LIMIT_PER_MINUTE: '2' });
    const { rest, direct } = ports(t);
    const refused = { target: '0.0.0.0', count: 1 }; // charged, then refused by the policy: no job
    // One bucket for both ways: two charged calls, then both are refused.
    expect(await direct('ping', refused, undefined, ctx(TOKENS.client), false)).toMatchObject({ status: 403 });
    expect(await rest.runOnce('ping', refused, ctx(TOKENS.client))).toMatchObject({ status: 403 });
    const limited = await direct('ping', refused, undefined, ctx(TOKENS.client), false);
    expect(limited).toMatchObject({ kind: 'error', status: 429, body: { code: 'RATE_LIMITED' } });
    expect(mask(limited)).toEqual(mask(await rest.runOnce('ping', refused, ctx(TOKENS.client))));

    await t.deps.registry.setEnabled('nmap', false);
    const nmap = { target: '127.0.0.1', ports: '80' };
    const disabled = await direct('nmap', nmap, undefined, ctx(TOKENS.client), false);
    expect(disabled).toMatchObject({ kind: 'error', status: 404, body: { code: 'NOT_FOUND', details: { disabled: true } } });
    expect(mask(disabled)).toEqual(mask(await rest.runOnce('nmap', nmap, ctx(TOKENS.client))));

    t.deps.lifecycle.draining = true;
    const draining = await direct('traceroute', { target: '127.0.0.1' }, undefined, ctx(TOKENS.client), false);
    expect(draining).toMatchObject({ kind: 'error', status: 503, body: { code: 'RESOURCE_EXHAUSTED', details: { shuttingDown: true } } });
    expect(mask(draining)).toEqual(mask(await rest.runOnce('traceroute', { target: '127.0.0.1' }, ctx(TOKENS.client))));
    // While draining an unknown token is still 401, as the route's gate authenticates first.
    expect(mask(await direct('traceroute', { target: '127.0.0.1' }, undefined, ctx('no-such-token-xxxxxxxx'), false))).toEqual(
      mask(await rest.runOnce('traceroute', { target: '127.0.0.1' }, ctx('no-such-token-xxxxxxxx'))),
    );
    expect(await t.jobs.list()).toHaveLength(0);
  });

  it('starts a job with an Idempotency-Key (202) and reattaches to it, as the route does, while draining too', async () => {
    t = makeTestApp({ MCP_ALLOW_LOOPBACK: 'true' });
    const { rest, direct } = ports(t);
    const first = await direct('ping', ping, 'k-1', ctx(TOKENS.client), true);
    expect(first).toMatchObject({ kind: 'ok', data: { status: 'queued', reattached: false } });
    const again = await rest.startJob('ping', ping, 'k-1', ctx(TOKENS.client));
    expect(again).toMatchObject({ kind: 'ok', data: { reattached: true } });
    expect(mask(await direct('ping', ping, 'k-1', ctx(TOKENS.client), true))).toEqual(mask(again));
    t.deps.lifecycle.draining = true;
    expect(mask(await direct('ping', ping, 'k-1', ctx(TOKENS.client), true))).toEqual(mask(again));
    // The key names a ping job: another tool may not use it.
    expect(mask(await direct('traceroute', { target: '127.0.0.1' }, 'k-1', ctx(TOKENS.client), true))).toEqual(
      mask(await rest.startJob('traceroute', { target: '127.0.0.1' }, 'k-1', ctx(TOKENS.client))),
    );
    expect(await t.jobs.list()).toHaveLength(1);
  });

  it('holds the call until the job ends and answers its checked result, as the route does', async () => {
    t = makeTestApp({ MCP_ALLOW_LOOPBACK: 'true' });
    const { rest, direct } = ports(t);
    const app = t;
    const completeNext = async (): Promise<void> => {
      const lease = await app.jobs.claim({ runnerId: 'r1', tools: ['ping'], waitMs: 2000 });
      if (!lease) throw new Error('no job was queued');
      await app.jobs.complete(lease.job.id, lease.leaseId, { status: 'succeeded', result: LOOPBACK_PING_RESULT, durationMs: 3 });
    };
    const [answer] = await Promise.all([direct('ping', ping, undefined, ctx(TOKENS.client), false), completeNext()]);
    expect(answer).toMatchObject({ kind: 'ok', data: { tool: 'ping', status: 'succeeded', result: LOOPBACK_PING_RESULT } });
    const [viaRest] = await Promise.all([rest.runOnce('ping', ping, ctx(TOKENS.client)), completeNext()]);
    expect(mask(answer)).toEqual(mask(viaRest));
  });

  it("gives the job the caller's trace context", async () => {
    t = makeTestApp({ MCP_ALLOW_LOOPBACK: 'true' });
    const { direct } = ports(t);
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const started = await direct<{ jobId: string }>(
      'ping',
      ping,
      'k-2',
      { ...ctx(TOKENS.client), headers: { ...ctx(TOKENS.client).headers, traceparent } },
      true,
    );
    expect(started.kind).toBe('ok');
    // No OpenTelemetry SDK (no propagator) in this test: none is stored, as a REST request would store none.
    expect((await t.jobs.list())[0]?.traceparent).toBeUndefined();
  });

  it('answers aborted when the caller goes away, and cancels the keyless job with an audit entry', async () => {
    const audits: unknown[] = [];
    t = makeTestApp({ MCP_ALLOW_LOOPBACK: 'true' });
    t.deps.audit = (e) => void audits.push(e);
    const { direct } = ports(t);
    const caller = new AbortController();
    const answer = direct('ping', ping, undefined, ctx(TOKENS.client, caller.signal), false);
    const app = t;
    await expect.poll(async () => (await app.jobs.list()).length).toBe(1);
    caller.abort();
    expect(await answer).toEqual({ kind: 'aborted' });
    await expect.poll(async () => (await app.jobs.list())[0]?.status).toBe('cancelled');
    expect(audits).toContainEqual(expect.objectContaining({ kind: 'cancel', principal: 'client', outcome: 'cancelled' }));
  });
});
