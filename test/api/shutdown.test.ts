import { afterAll, describe, expect, it } from 'vitest';
import { REPEAT_WINDOW_MS } from '../../functions/node/shutdown';
import { type Running, type RunningApi, execute, startApi, startRunner } from '../helpers/processes';
import { type TestTokens, makeTokens } from '../helpers/tokens';
import { exitOf, jsonLines, until } from './node-entry-support';

// Real processes on loopback: the API drains on SIGTERM while a runner works for it.
const started: Running[] = [];
afterAll(async () => {
  for (const r of started.reverse()) await r.stop();
});

const GRACE_SEC = 3;

async function apiWithRunner(tokens: TestTokens, env: Record<string, string> = {}): Promise<{ api: RunningApi; runner: Running }> {
  const api = await startApi(tokens, { MCP_ALLOW_LOOPBACK: 'true', MCP_RATE_LIMIT_PER_MINUTE: '0', ...env });
  started.push(api);
  const runner = await startRunner(api, tokens, { MCP_ALLOW_LOOPBACK: 'true' });
  started.push(runner);
  return { api, runner };
}

async function runningJobs(api: RunningApi, token: string): Promise<number> {
  const res = await fetch(`${api.url}/jobs?status=running`, { headers: { authorization: `Bearer ${token}` } });
  return ((await res.json()) as { total: number }).total;
}

describe('graceful shutdown of the API', () => {
  it('lets a running call finish, refuses new ones, cuts what outlives the grace and exits 0', async () => {
    const tokens = makeTokens();
    const { api, runner } = await apiWithRunner(tokens, { MCP_SHUTDOWN_GRACE_SEC: String(GRACE_SEC) });
    // Two calls in flight: ping -c 3 -i 0.2 ends well inside the grace; ping -c 10 -i 1 does not.
    const short = execute(api, tokens.client, 'ping', { target: '127.0.0.1', count: 3, intervalSec: 0.2 });
    const long = execute(api, tokens.client, 'ping', { target: '127.0.0.1', count: 10, intervalSec: 1 });
    await until('both jobs to run', async () => ((await runningJobs(api, tokens.client)) === 2 ? true : undefined));
    const exited = exitOf(api.proc);
    api.proc.kill('SIGTERM');
    await until('draining', async () =>
      (await fetch(`${api.url}/readyz`, { headers: { authorization: `Bearer ${tokens.client}` } })).status === 503 ? true : undefined,
    );

    const refused = await execute(api, tokens.client, 'ping', { target: '127.0.0.1', count: 1 });
    expect(refused.status).toBe(503);
    expect(refused.body).toMatchObject({
      error: { code: 'RESOURCE_EXHAUSTED', message: expect.stringMatching(/shutting down/), requestId: expect.any(String) },
    });

    expect((await short).status).toBe(200);
    expect((await short).body).toMatchObject({ status: 'succeeded', result: { transmitted: 3, received: 3 } });
    const cut = await long;
    expect(cut.status).toBe(503);
    expect(cut.body).toMatchObject({ error: { code: 'RESOURCE_EXHAUSTED', message: expect.stringMatching(/shut down before the job finished/) } });

    const exit = await Promise.race([exited, new Promise<'still running'>((r) => setTimeout(() => r('still running'), (GRACE_SEC + 5) * 1000))]);
    expect(exit).toEqual({ code: 0, signal: null });
    expect(jsonLines(api.logs()).map((l) => l['msg'])).toEqual(expect.arrayContaining(['shutting down', 'stopped']));

    // The runner outlives the API and keeps claiming with backoff: a few failed claims per second at most.
    const mark = runner.logs().length;
    await new Promise((r) => setTimeout(r, 3000));
    const retries = jsonLines(runner.logs().slice(mark)).filter((l) => l['msg'] === 'claim failed; retrying');
    expect(retries.length).toBeLessThanOrEqual(9);
    expect(runner.proc.exitCode).toBeNull();
  });

  it('treats a signal repeated at once (Ctrl-C to the group plus a supervisor forwarding it) as one stop request', async () => {
    const tokens = makeTokens();
    const { api } = await apiWithRunner(tokens);
    const call = execute(api, tokens.client, 'ping', { target: '127.0.0.1', count: 3, intervalSec: 0.2 });
    await until('the job to run', async () => ((await runningJobs(api, tokens.client)) === 1 ? true : undefined));
    const exited = exitOf(api.proc);
    api.proc.kill('SIGINT');
    api.proc.kill('SIGTERM');
    expect((await call).status).toBe(200);
    expect(await exited).toEqual({ code: 0, signal: null });
  });

  it('exits at once on a second signal', async () => {
    const tokens = makeTokens();
    const { api } = await apiWithRunner(tokens, { MCP_SHUTDOWN_GRACE_SEC: '60' });
    void execute(api, tokens.client, 'ping', { target: '127.0.0.1', count: 10, intervalSec: 1 }).catch(() => undefined);
    await until('the job to run', async () => ((await runningJobs(api, tokens.client)) === 1 ? true : undefined));
    const exited = exitOf(api.proc);
    api.proc.kill('SIGTERM');
    await until('draining', async () =>
      (await fetch(`${api.url}/readyz`, { headers: { authorization: `Bearer ${tokens.client}` } })).status === 503 ? true : undefined,
    );
    await new Promise((r) => setTimeout(r, REPEAT_WINDOW_MS + 200));
    api.proc.kill('SIGTERM');
    expect(await exited).toEqual({ code: 130, signal: null });
  });
});
