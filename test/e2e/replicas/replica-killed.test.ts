// Issue 10, "Tests": SIGKILL the API replica that accepted async jobs while they are in flight (some running on the
// runner, some still queued). Every job is readable and finished from the other replica; none is lost and none runs
// twice, counted on the runner side (its ping stand-in writes one line per execution). docs/design.md, "Broker".
// Loopback only: targets are distinct 127.0.0.0/8 addresses, one per job, so each run names its job.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApi } from '../../helpers/processes';
import { Started, startTwoReplicas, call, eventually, jobWhenEnded, runsFor, startCountingRunner, submitPing, waitForTool } from '../../helpers/replicas';
import { type TestTokens, makeTokens } from '../../helpers/tokens';

const started = new Started();
let tokens: TestTokens;
let api1: RunningApi;
let api2: RunningApi;
let runner: Awaited<ReturnType<typeof startCountingRunner>>;

beforeAll(async () => {
  tokens = makeTokens();
  ({ api1, api2 } = await startTwoReplicas(started, tokens));
  // Two jobs at a time, so with six submitted some are running and some queued when API 2 dies.
  runner = started.add(await startCountingRunner(api1, tokens, 'lab-1', { NETDIAG_RUNNER_CAPACITY: '2', MCP_DEFAULT_CONCURRENCY: '2' }));
  await waitForTool(api2, tokens.client, 'ping');
}, 120_000);

afterAll(async () => {
  await started.stopAll();
});

describe('an API replica killed with jobs in flight', () => {
  it('every job it accepted finishes and is readable from the other replica, each run exactly once', { timeout: 90_000 }, async () => {
    const targets = ['127.0.0.11', '127.0.0.12', '127.0.0.13', '127.0.0.14', '127.0.0.15', '127.0.0.16'];
    // ping -c 3 -i 0.5: about a second each, long enough to be in flight when the replica dies.
    const ids: string[] = [];
    for (const target of targets) ids.push(await submitPing(api2, tokens.client, { target, count: 3, intervalSec: 0.5 }));
    await eventually('a job running on the runner', 10_000, async () => {
      const r = await call(api1, tokens.client, 'GET', '/jobs?status=running');
      return (r.body['jobs'] as unknown[]).length > 0 ? true : undefined;
    });
    api2.proc.kill('SIGKILL');
    await new Promise((r) => api2.proc.once('exit', r));
    expect((await call(api1, tokens.client, 'GET', '/jobs?status=queued')).body['total']).toBeGreaterThan(0);

    const jobs = await Promise.all(ids.map((id) => jobWhenEnded(api1, tokens.client, id, 60_000)));
    for (const [i, job] of jobs.entries()) {
      expect(job, JSON.stringify(job)).toMatchObject({ id: ids[i], status: 'succeeded', target: targets[i], runnerId: 'lab-1', attempts: 1 });
    }
    const runs = runner.runs();
    expect(targets.map((t) => runsFor(runs, t))).toEqual(targets.map(() => 1));
    expect(runs).toHaveLength(targets.length);
  });
});
