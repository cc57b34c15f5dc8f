import { afterEach, describe, expect, it } from 'vitest';
import { TOKENS, makeTestApp } from '../helpers/app';
import { MCP_TOKENS, type McpApp, makeMcpApp } from '../mcp/helpers/in-process';

// Through app.request, no network: a runner says at registration why it cannot offer a tool; a call for a tool no
// connected runner offers fails at once with those reasons and leaves no job, GET /tools and /health show them, and
// with no runner connected at all a call still waits for one.
type TestApp = ReturnType<typeof makeTestApp>;
let t: TestApp | undefined;
let mcp: McpApp | undefined;
afterEach(async () => {
  t?.jobs.close();
  await mcp?.close();
  t = undefined;
  mcp = undefined;
});

const DIG_REASON = 'no lab DNS resolver configured (set NETDIAG_DNS_RESOLVER on the runner)';
const labRunner = { runnerId: 'lab-1', version: '1.0.0', tools: ['ping', 'nmap'], unavailable: { dig: DIG_REASON }, privileged: false, capacity: 2 };
const dig = { name: 'host.lab.internal' };

interface ErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown> };
}
interface ToolView {
  name: string;
  available: boolean;
  runners: string[];
  unavailableOn: Array<{ runnerId: string; reason: string }>;
}

const until = async (check: () => Promise<boolean>): Promise<void> => {
  while (!(await check())) await new Promise((r) => setTimeout(r, 5));
};

describe('a call for a tool that connected runners cannot offer', () => {
  it('fails at once with NO_RUNNER naming the runner and its reason, held or async, and creates no job', { timeout: 5000 }, async () => {
    t = makeTestApp({}, { queueWaitMs: 60_000 });
    expect((await t.call('POST', '/runner/register', TOKENS.runner, labRunner)).status).toBe(200);
    for (const path of ['/tools/dig/execute', '/tools/dig/execute?async=true']) {
      const res = await t.call('POST', path, TOKENS.client, dig);
      expect(res.status).toBe(503);
      const { error } = (await res.json()) as ErrorBody;
      expect(error.code).toBe('NO_RUNNER');
      expect(error.message).toBe(`No connected runner offers dig: runner lab-1: ${DIG_REASON}.`);
      expect(error.details).toEqual({ tool: 'dig', connectedRunners: 1, capableRunners: 0, unavailable: [{ runnerId: 'lab-1', reason: DIG_REASON }] });
    }
    expect(await t.jobs.list()).toEqual([]);
  });

  it('names every connected runner, also one that gave no reason (known only from its claims)', { timeout: 5000 }, async () => {
    t = makeTestApp({}, { queueWaitMs: 60_000 });
    await t.call('POST', '/runner/register', TOKENS.runner, labRunner);
    await t.call('POST', '/runner/claim', TOKENS.runner, { runnerId: 'old-1', tools: ['ping'], waitMs: 0 });
    const { error } = (await (await t.call('POST', '/tools/dig/execute', TOKENS.client, dig)).json()) as ErrorBody;
    expect(error.message).toBe(`No connected runner offers dig: runner lab-1: ${DIG_REASON}; runner old-1: does not offer dig (no reason given).`);
  });

  it('is queued as before when a connected runner offers the tool', async () => {
    t = makeTestApp({}, { queueWaitMs: 60_000 });
    await t.call('POST', '/runner/register', TOKENS.runner, { ...labRunner, tools: ['ping', 'dig'], unavailable: {} });
    expect((await t.call('POST', '/tools/dig/execute?async=true', TOKENS.client, dig)).status).toBe(202);
  });

  it('goes the same way over /mcp (the same REST route, in process), with and without a progress token', { timeout: 5000 }, async () => {
    mcp = makeMcpApp({}, { queueWaitMs: 60_000 });
    expect((await mcp.request('POST', '/runner/register', { token: MCP_TOKENS.runner, body: labRunner })).status).toBe(200);
    const { client, close } = await mcp.connect(MCP_TOKENS.client);
    for (const meta of [{}, { progressToken: 'p1' }]) {
      const r = await client.callTool({ name: 'dig', arguments: dig, _meta: meta });
      expect(r.isError).toBe(true);
      expect((r.content as Array<{ text: string }>)[0]?.text).toMatch(
        new RegExp(`^NO_RUNNER: No connected runner offers dig: runner lab-1: ${DIG_REASON.replace(/[()]/g, '\\$&')}\\.\\n`),
      );
    }
    expect(await mcp.deps.jobs.list()).toEqual([]);
    await close();
  });
});

describe('with no runner connected', () => {
  it('a call still waits: a runner that starts meanwhile gets the job', { timeout: 5000 }, async () => {
    t = makeTestApp({}, { queueWaitMs: 60_000 });
    const app = t;
    const pending = app.call('POST', '/tools/dig/execute', TOKENS.client, dig);
    await until(async () => (await app.jobs.list({ status: 'queued' })).length === 1);
    const claim = (await (await app.call('POST', '/runner/claim', TOKENS.runner, { runnerId: 'late', tools: ['dig'], waitMs: 0 })).json()) as {
      job: { id: string; leaseId: string };
    };
    const outcome = { status: 'failed', error: { code: 'EXECUTION_ERROR', message: 'resolver said no', recoverySuggestion: 'check it' }, durationMs: 1 };
    await app.call('POST', `/runner/jobs/${claim.job.id}/complete`, TOKENS.runner, { leaseId: claim.job.leaseId, outcome });
    const res = await pending;
    expect(res.status).toBe(502);
    expect(((await res.json()) as ErrorBody).error).toMatchObject({ code: 'EXECUTION_ERROR', details: { jobId: claim.job.id } });
  });

  it('after the queue wait, NO_RUNNER names the reasons of runners that joined meanwhile', async () => {
    t = makeTestApp({}, { queueWaitMs: 300 });
    const app = t;
    const pending = app.call('POST', '/tools/dig/execute', TOKENS.client, dig);
    await until(async () => (await app.jobs.list({ status: 'queued' })).length === 1);
    await app.call('POST', '/runner/register', TOKENS.runner, labRunner);
    const { error } = (await (await pending).json()) as ErrorBody;
    expect(error.message).toBe(`No connected runner offers dig (runner lab-1: ${DIG_REASON}); the job waited 0.3s and was dropped.`);
    expect(error.details).toMatchObject({
      connectedRunners: 1,
      capableRunners: 0,
      unavailable: [{ runnerId: 'lab-1', reason: DIG_REASON }],
      jobId: expect.any(String),
    });
  });
});

describe('GET /tools, GET /tools/{name} and /health show the reasons', () => {
  it('lists unavailableOn per tool and names the reasons in the tools check', async () => {
    t = makeTestApp();
    await t.call('POST', '/runner/register', TOKENS.runner, labRunner);
    const { tools } = (await (await t.call('GET', '/tools', TOKENS.reader)).json()) as { tools: ToolView[] };
    const byName = Object.fromEntries(tools.map((x) => [x.name, x]));
    expect(byName['dig']).toMatchObject({ available: false, runners: [], unavailableOn: [{ runnerId: 'lab-1', reason: DIG_REASON }] });
    expect(byName['ping']).toMatchObject({ available: true, runners: ['lab-1'], unavailableOn: [] });
    expect(await (await t.call('GET', '/tools/dig', TOKENS.reader)).json()).toMatchObject({ unavailableOn: [{ runnerId: 'lab-1', reason: DIG_REASON }] });

    const health = (await (await t.call('GET', '/health', TOKENS.reader)).json()) as {
      checks: Array<{ name: string; message: string; details?: Record<string, unknown> }>;
    };
    const check = health.checks.find((c) => c.name === 'tools');
    expect(check?.message).toContain(`dig (lab-1: ${DIG_REASON})`);
    expect(check?.details).toMatchObject({ unavailable: expect.arrayContaining(['dig']), reasons: { dig: [{ runnerId: 'lab-1', reason: DIG_REASON }] } });
  });
});

describe('POST /runner/register trusts no reason', () => {
  it('strips escapes and control characters, caps each reason at 200 characters, drops blanks and offered tools', async () => {
    t = makeTestApp();
    const unavailable = {
      dig: '\u001b[31mno\u001b[0m resolver\n\t configured\u202e\u0007',
      mtr: 'x'.repeat(1000),
      ping: 'offered after all',
      traceroute: ' \u0000 ',
    };
    expect((await t.call('POST', '/runner/register', TOKENS.runner, { ...labRunner, unavailable })).status).toBe(200);
    const [runner] = await t.jobs.runners();
    expect(runner?.unavailable).toEqual({ dig: 'no resolver configured', mtr: `${'x'.repeat(199)}…` });
  });

  it('refuses more than 64 reasons, a reason over 1024 characters and a key that is not a tool name', async () => {
    t = makeTestApp();
    const many = Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`tool${i}`, 'no']));
    for (const unavailable of [many, { dig: 'x'.repeat(1025) }, { 'not a tool!': 'no' }]) {
      const res = await t.call('POST', '/runner/register', TOKENS.runner, { ...labRunner, unavailable });
      expect(res.status).toBe(400);
    }
    expect(await t.jobs.runners()).toEqual([]);
  });
});
