/**
 * runJob holds a job's post-job work (its `job finished` line here; its cgroup removal and the next warm process in
 * the sandbox, warm-pool.test.ts) until the API has acknowledged its report (post-job-work.ts, issue 12). A native
 * executor answers at once, so no process runs; the target is a loopback literal (no DNS, no packet).
 */
import { describe, expect, it } from 'vitest';
import type { Logger } from '../../functions/shared/logger';
import { defineExecutor } from '../../functions/shared/tool/executor';
import { pingTool } from '../../functions/tools/ping/definition';
import type { JobOutcome, RunnerJob } from '../../openapi/sdk/src/runner';
import type { RunnerApi } from './api';
import { loadRunnerConfig } from './config';
import { runJob } from './job-runner';

const executor = defineExecutor(pingTool, { kind: 'native', run: () => Promise.resolve({ ok: true as const, result: { answered: true } }) });
const job: RunnerJob = {
  id: 'job-1',
  tool: 'ping',
  params: { target: '127.0.0.1', count: 1 },
  timeoutSec: 10,
  attempt: 1,
  leaseId: 'lease-1',
  leaseExpiresAt: Date.now() + 60_000,
  heartbeatIntervalMs: 60_000,
};
const config = loadRunnerConfig({ NETDIAG_API_URL: 'http://127.0.0.1:9', NETDIAG_RUNNER_TOKEN: 'job-runner-token-0123456789', MCP_ALLOW_LOOPBACK: 'true' });
const turns = async (n: number): Promise<void> => {
  for (let i = 0; i < n; i += 1) await new Promise((resolve) => setImmediate(resolve));
};

describe('runJob', () => {
  it("writes the job's `job finished` line only once the API has acknowledged its report", async () => {
    const lines: string[] = [];
    const logger: Logger = { debug: () => undefined, info: (_o, msg) => void lines.push(msg ?? ''), warn: () => undefined, error: () => undefined };
    const reported: JobOutcome[] = [];
    let acknowledge = (): void => undefined;
    const api = {
      heartbeat: () => Promise.resolve({ cancelRequested: false }),
      complete: (_job: RunnerJob, outcome: JobOutcome) => {
        reported.push(outcome);
        return new Promise<void>((resolve) => (acknowledge = resolve));
      },
    } as unknown as RunnerApi;
    const running = runJob({ api, logger, config, binaries: new Map(), executors: new Map([['ping', executor]]) }, job);
    await turns(5);
    expect(reported).toMatchObject([{ status: 'succeeded', result: { answered: true } }]);
    expect(lines).not.toContain('job finished');
    acknowledge();
    await running;
    await turns(2);
    expect(lines).toContain('job finished');
  });
});
