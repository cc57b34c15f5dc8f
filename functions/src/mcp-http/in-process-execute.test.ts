import { afterEach, describe, expect, it } from 'vitest';
import { TOKENS, makeTestApp } from '../../../test/helpers/app';
import { LOOPBACK_PING_RESULT } from '../../../test/helpers/ping-result';
import { createApiPort } from '../../mcp/api-port';
import type { ApiAnswer } from '../../mcp/api-answer';
import { inProcessExecute } from './in-process-execute';
import { toApp, typedInProcessClient } from './in-process-port';

// The /mcp port's execute (in-process-execute.ts) against the typed client's (openapi-fetch, as the port made it
// before): the same call through the same app must come back as the same answer, refusals included. Nothing runs a
// tool: jobs are claimed and completed on the job store as a runner would.
type TestApp = ReturnType<typeof makeTestApp>;
let t: TestApp | undefined;
afterEach(async () => {
  await t?.jobs.close();
  t = undefined;
});

function ports(app: TestApp) {
  return { typed: createApiPort(typedInProcessClient(app.app)), execute: inProcessExecute((request) => toApp(app.app, request)) };
}

const ctx = (token: string | undefined, signal = new AbortController().signal) => ({ signal, headers: token ? { authorization: `Bearer ${token}` } : {} });
// Job and request ids differ from call to call.
const mask = (a: ApiAnswer<unknown>): unknown => JSON.parse(JSON.stringify(a).replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<id>'));

describe('in-process execute', () => {
  it.each([
    ['a target the policy refuses (loopback not allowed)', TOKENS.client, { target: '127.0.0.1', count: 1 }, 403],
    ['arguments the schema refuses', TOKENS.client, { target: '127.0.0.1', count: 'many' }, 400],
    ['no token', undefined, { target: '127.0.0.1', count: 1 }, 401],
    ['a token without tools:run', TOKENS.reader, { target: '127.0.0.1', count: 1 }, 403],
    ['a token whose tool list leaves the tool out', TOKENS.nmapOnly, { target: '127.0.0.1', count: 1 }, 403],
  ])('answers %s exactly as the typed client does, and starts nothing', async (_what, token, args, status) => {
    t = makeTestApp();
    const { typed, execute } = ports(t);
    const direct = await execute('ping', args, {}, ctx(token), false);
    expect(direct).toMatchObject({ kind: 'error', status });
    expect(mask(direct)).toEqual(mask(await typed.runOnce('ping', args, ctx(token))));
    expect(await t.jobs.list()).toHaveLength(0);
  });

  it('starts a job with an Idempotency-Key (202) and reattaches to it, as the typed client does', async () => {
    t = makeTestApp({ MCP_ALLOW_LOOPBACK: 'true' });
    const { typed, execute } = ports(t);
    const args = { target: '127.0.0.1', count: 1 };
    const first = await execute('ping', args, { 'idempotency-key': 'k-1' }, ctx(TOKENS.client), true);
    expect(first).toMatchObject({ kind: 'ok', data: { status: 'queued', reattached: false } });
    const again = await typed.startJob('ping', args, 'k-1', ctx(TOKENS.client));
    expect(again).toMatchObject({ kind: 'ok', data: { reattached: true } });
    expect(mask(await execute('ping', args, { 'idempotency-key': 'k-1' }, ctx(TOKENS.client), true))).toEqual(mask(again));
    expect(await t.jobs.list()).toHaveLength(1);
  });

  it('holds the call until the job ends and answers its checked result, as the typed client does', async () => {
    t = makeTestApp({ MCP_ALLOW_LOOPBACK: 'true' });
    const { typed, execute } = ports(t);
    const app = t;
    const completeNext = async (): Promise<void> => {
      const lease = await app.jobs.claim({ runnerId: 'r1', tools: ['ping'], waitMs: 2000 });
      if (!lease) throw new Error('no job was queued');
      await app.jobs.complete(lease.job.id, lease.leaseId, { status: 'succeeded', result: LOOPBACK_PING_RESULT, durationMs: 3 });
    };
    const args = { target: '127.0.0.1', count: 1 };
    const [direct] = await Promise.all([execute('ping', args, {}, ctx(TOKENS.client), false), completeNext()]);
    expect(direct).toMatchObject({ kind: 'ok', data: { tool: 'ping', status: 'succeeded', result: LOOPBACK_PING_RESULT } });
    const [viaTyped] = await Promise.all([typed.runOnce('ping', args, ctx(TOKENS.client)), completeNext()]);
    expect(mask(direct)).toEqual(mask(viaTyped));
  });

  it('answers aborted when the caller goes away, and the route cancels the keyless job', async () => {
    t = makeTestApp({ MCP_ALLOW_LOOPBACK: 'true' });
    const { execute } = ports(t);
    const caller = new AbortController();
    const answer = execute('ping', { target: '127.0.0.1', count: 1 }, {}, ctx(TOKENS.client, caller.signal), false);
    const app = t;
    await expect.poll(async () => (await app.jobs.list()).length).toBe(1);
    caller.abort();
    expect(await answer).toEqual({ kind: 'aborted' });
    await expect.poll(async () => (await app.jobs.list())[0]?.status).toBe('cancelled');
  });
});
