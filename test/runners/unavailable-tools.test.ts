import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Running, type RunningApi, execute, startApi, startRunner } from '../helpers/processes';
import { type ShimSession, connectShim } from '../helpers/shim-client';
import { type TestTokens, makeTokens } from '../helpers/tokens';
import { scrape, value } from '../observability/prometheus';

// Real API, runner and shim processes on loopback. The runner has no NETDIAG_DNS_RESOLVER, so it cannot offer dig
// and says so at registration; a dig call must fail with that reason long before the 60 s queue wait (issue 9: it
// used to wait the whole MCP_QUEUE_WAIT_SEC). dig never runs, so nothing is resolved or sent anywhere.
const QUEUE_WAIT_SEC = 60;
const DIG_REASON = 'no lab DNS resolver configured (set NETDIAG_DNS_RESOLVER on the runner)';
let tokens: TestTokens;
let api: RunningApi;
let runner: Running;
let shim: ShimSession;

beforeAll(async () => {
  tokens = makeTokens();
  api = await startApi(tokens, { MCP_ALLOW_LOOPBACK: 'true', MCP_QUEUE_WAIT_SEC: String(QUEUE_WAIT_SEC) });
  runner = await startRunner(api, tokens, { MCP_ALLOW_LOOPBACK: 'true', NETDIAG_RUNNER_ID: 'lab-1' });
  shim = await connectShim({ NETDIAG_API_URL: api.url, NETDIAG_TOKEN: tokens.client });
});
afterAll(async () => {
  await shim?.close();
  await runner?.stop();
  await api?.stop();
});

const noRunner = (s: Awaited<ReturnType<typeof scrape>>): number => value(s, 'mcp_tool_execution_total', { tool: 'dig', status: 'no_runner' });

describe('a runner without a lab DNS resolver', () => {
  it('makes a dig call fail at once with NO_RUNNER and its reason, over HTTP and through the shim', { timeout: 20_000 }, async () => {
    const before = await scrape(api.url, tokens.admin);
    const started = performance.now();
    const r = await execute(api, tokens.client, 'dig', { name: 'host.lab.internal' });
    const httpMs = performance.now() - started;
    expect(r.status).toBe(503);
    expect(r.body['error']).toMatchObject({
      code: 'NO_RUNNER',
      message: `No connected runner offers dig: runner lab-1: ${DIG_REASON}.`,
      details: { connectedRunners: 1, capableRunners: 0, unavailable: [{ runnerId: 'lab-1', reason: DIG_REASON }] },
    });

    const shimStarted = performance.now();
    const viaShim = await shim.client.callTool({ name: 'dig', arguments: { name: 'host.lab.internal' } });
    const shimMs = performance.now() - shimStarted;
    expect(viaShim.isError).toBe(true);
    expect((viaShim.content as Array<{ text: string }>)[0]?.text).toContain(`NO_RUNNER: No connected runner offers dig: runner lab-1: ${DIG_REASON}.`);
    process.stdout.write(`dig with no resolver-capable runner: HTTP ${httpMs.toFixed(0)} ms, shim ${shimMs.toFixed(0)} ms (queue wait ${QUEUE_WAIT_SEC} s)\n`);

    // Refused before a job exists: nothing lingers in the queue, and each call is counted once as no_runner.
    const jobs = (await (await fetch(`${api.url}/jobs?tool=dig`, { headers: { authorization: `Bearer ${tokens.admin}` } })).json()) as { jobs: unknown[] };
    expect(jobs.jobs).toEqual([]);
    expect(noRunner(await scrape(api.url, tokens.admin)) - noRunner(before)).toBe(2);
  });

  it('shows the reason in GET /tools and in /health', async () => {
    const { tools } = (await (await fetch(`${api.url}/tools`, { headers: { authorization: `Bearer ${tokens.client}` } })).json()) as {
      tools: Array<{ name: string; available: boolean; unavailableOn: unknown[] }>;
    };
    expect(tools.find((x) => x.name === 'dig')).toMatchObject({ available: false, unavailableOn: [{ runnerId: 'lab-1', reason: DIG_REASON }] });
    const health = (await (await fetch(`${api.url}/health`, { headers: { authorization: `Bearer ${tokens.reader}` } })).json()) as {
      checks: Array<{ name: string; message: string }>;
    };
    expect(health.checks.find((c) => c.name === 'tools')?.message).toContain(`dig (lab-1: ${DIG_REASON})`);
  });
});
