// Issue 10, "Tests": two API processes on one real Redis, one runner attached to API 1 only. Jobs submitted to API 2,
// held (sync) and async, are run by that runner and answered by API 2 (docs/design.md, "Broker"). Unlike
// test/infra/replicas-example.test.ts (README's example through npm, one sync call), this counts the runs on the
// runner side and reads every job back from the replica that accepted it. Loopback only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApi } from '../../helpers/processes';
import { Started, startTwoReplicas, call, jobWhenEnded, runsFor, startCountingRunner, submitPing, waitForTool } from '../../helpers/replicas';
import { type TestTokens, makeTokens } from '../../helpers/tokens';

const started = new Started();
let tokens: TestTokens;
let api1: RunningApi;
let api2: RunningApi;
let runner: Awaited<ReturnType<typeof startCountingRunner>>;

beforeAll(async () => {
  tokens = makeTokens();
  ({ api1, api2 } = await startTwoReplicas(started, tokens));
  runner = started.add(await startCountingRunner(api1, tokens, 'lab-1'));
  // API 2 knows of the runner only through Redis.
  await waitForTool(api2, tokens.client, 'ping');
}, 120_000);

afterAll(async () => {
  await started.stopAll();
});

describe('two API replicas on one Redis, the runner on API 1 only', () => {
  it('a sync call to API 2 is run once by the runner on API 1 and answered by API 2', async () => {
    const r = await call(api2, tokens.client, 'POST', '/tools/ping/execute', { target: '127.0.0.2', count: 1 });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({ status: 'succeeded', result: { target: '127.0.0.2' } });
    const job = await jobWhenEnded(api2, tokens.client, String(r.body['jobId']));
    expect(job).toMatchObject({ status: 'succeeded', runnerId: 'lab-1', attempts: 1 });
    expect(runsFor(runner.runs(), '127.0.0.2')).toBe(1);
  });

  it('async jobs submitted to API 2 are run by that runner and read back from API 2', async () => {
    const targets = ['127.0.0.3', '127.0.0.4', '127.0.0.5'];
    const ids = await Promise.all(targets.map((target) => submitPing(api2, tokens.client, { target, count: 1 })));
    const jobs = await Promise.all(ids.map((id) => jobWhenEnded(api2, tokens.client, id)));
    for (const [i, job] of jobs.entries())
      expect(job, JSON.stringify(job)).toMatchObject({ id: ids[i], status: 'succeeded', target: targets[i], runnerId: 'lab-1' });
    for (const t of targets) expect(runsFor(runner.runs(), t)).toBe(1);
    // API 1 sees the same records: one shared store, not a copy per replica.
    for (const id of ids) expect((await call(api1, tokens.client, 'GET', `/jobs/${id}`)).body).toMatchObject({ id, status: 'succeeded' });
  });
});
