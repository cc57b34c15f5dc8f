// Issue 10, "Tests", the harder half of a replica dying with jobs in flight: SIGKILL the replica that both accepted the
// jobs and serves the runner. The runner reaches the replicas through a failover proxy (the load balancer or Service
// of a real deployment, test/helpers/failover-proxy.ts), so its heartbeats, completions and claims move to API 2.
// Every job is readable and finished from API 2, none lost, none run twice (counted on the runner side).
// docs/design.md, "Broker". Loopback only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FailoverProxy, startFailoverProxy } from '../../helpers/failover-proxy';
import type { RunningApi } from '../../helpers/processes';
import { Started, startTwoReplicas, call, eventually, jobWhenEnded, runsFor, startCountingRunner, submitPing, waitForTool } from '../../helpers/replicas';
import { type TestTokens, makeTokens } from '../../helpers/tokens';

const started = new Started();
let tokens: TestTokens;
let api1: RunningApi;
let api2: RunningApi;
let proxy: FailoverProxy;
let runner: Awaited<ReturnType<typeof startCountingRunner>>;

beforeAll(async () => {
  tokens = makeTokens();
  ({ api1, api2 } = await startTwoReplicas(started, tokens));
  // API 1 first: while it lives every runner connection goes there.
  proxy = started.add({ ...(await startFailoverProxy([api1.port, api2.port])), stop: () => proxy.close() });
  runner = started.add(await startCountingRunner({ ...api1, url: proxy.url }, tokens, 'lab-1', { NETDIAG_RUNNER_CAPACITY: '2', MCP_DEFAULT_CONCURRENCY: '2' }));
  await waitForTool(api2, tokens.client, 'ping');
}, 120_000);

afterAll(async () => {
  await started.stopAll();
});

describe("the runner's replica killed with jobs in flight", () => {
  it('the runner carries on through API 2; every job finishes, readable from API 2, each run exactly once', { timeout: 90_000 }, async () => {
    const targets = ['127.0.0.51', '127.0.0.52', '127.0.0.53', '127.0.0.54', '127.0.0.55', '127.0.0.56'];
    const ids: string[] = [];
    for (const target of targets) ids.push(await submitPing(api1, tokens.client, { target, count: 3, intervalSec: 0.5 }));
    await eventually('a job running on the runner', 10_000, async () => {
      const r = await call(api2, tokens.client, 'GET', '/jobs?status=running');
      return (r.body['jobs'] as unknown[]).length > 0 ? true : undefined;
    });
    api1.proc.kill('SIGKILL');

    const jobs = await Promise.all(ids.map((id) => jobWhenEnded(api2, tokens.client, id, 60_000)));
    for (const [i, job] of jobs.entries()) {
      expect(job, JSON.stringify(job)).toMatchObject({ id: ids[i], status: 'succeeded', target: targets[i], runnerId: 'lab-1', attempts: 1 });
    }
    const runs = runner.runs();
    expect(targets.map((t) => runsFor(runs, t))).toEqual(targets.map(() => 1));
    expect(runs).toHaveLength(targets.length);
  });
});
