import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Running, type RunningApi, startApi, startRunner } from '../helpers/processes';
import { type TestTokens, makeTokens } from '../helpers/tokens';
import {
  type RecordingProxy,
  TERMINAL,
  claimedJobs,
  collectSse,
  data,
  exchangeFor,
  getJob,
  pingProcesses,
  sleep,
  startJob,
  startRecordingProxy,
  uniqueLoopback,
  waitForJob,
  waitForRunner,
} from './support';

// A runner dies (SIGKILL) in the middle of a 10 s ping. Its lease runs out, the job is requeued once to the other
// runner and finishes there; a late report with the dead runner's lease is refused and nothing runs again.
const LEASE_SEC = 2;
let tokens: TestTokens;
let api: RunningApi;
let proxyA: RecordingProxy;
let proxyB: RecordingProxy;
let runnerA: Running;
let runnerB: Running | undefined;
let events: ReturnType<typeof collectSse>;

beforeAll(async () => {
  tokens = makeTokens();
  api = await startApi(tokens, { MCP_ALLOW_LOOPBACK: 'true', MCP_RUNNER_LEASE_SEC: String(LEASE_SEC), MCP_QUEUE_WAIT_SEC: '60' });
  events = collectSse(api, '/events', tokens.admin);
  proxyA = await startRecordingProxy(api.url);
  proxyB = await startRecordingProxy(api.url);
  runnerA = await startRunner({ ...api, url: proxyA.url }, tokens, { MCP_ALLOW_LOOPBACK: 'true', NETDIAG_RUNNER_ID: 'lease-a' });
});
afterAll(async () => {
  events.close();
  await runnerB?.stop();
  await runnerA.stop();
  await proxyA.close();
  await proxyB.close();
  await api.stop();
});

describe('a runner killed mid-job', () => {
  it('loses the lease; the job is requeued once to the other runner, completes there and is never run again', { timeout: 60_000 }, async () => {
    const address = uniqueLoopback();
    const jobId = await startJob(api, tokens.client, 'ping', { target: address, count: 10, intervalSec: 1 });
    // Running on A, with replies coming back: the binary is really running.
    await waitForJob(api, tokens.admin, jobId, (j) => j.runnerId === 'lease-a' && (j.progress?.progress ?? 0) >= 1, 10_000);
    expect(pingProcesses(address).length).toBeGreaterThan(0);

    // B starts only now, so A certainly held the job; B is then the only runner parked in a claim.
    runnerB = await startRunner({ ...api, url: proxyB.url }, tokens, { MCP_ALLOW_LOOPBACK: 'true', NETDIAG_RUNNER_ID: 'lease-b' });
    await waitForRunner(api, tokens.reader, 'lease-b');
    runnerA.proc.kill('SIGKILL');

    const end = await waitForJob(api, tokens.admin, jobId, (j) => TERMINAL.has(j.status), 30_000);
    expect(end, JSON.stringify(end.error)).toMatchObject({ status: 'succeeded', attempts: 2, runnerId: 'lease-b' });
    expect(end.result).toMatchObject({ transmitted: 10, received: 10 });

    const [leaseA] = claimedJobs(proxyA).filter((j) => j.id === jobId);
    const [leaseB] = claimedJobs(proxyB).filter((j) => j.id === jobId);
    expect(leaseA?.attempt).toBe(1);
    expect(leaseB?.attempt).toBe(2);

    // The runner's own report, replayed, is a duplicate; the dead runner's lease is refused.
    const reportB = await exchangeFor(proxyB, `/runner/jobs/${jobId}/complete`);
    expect(reportB?.response).toEqual({ accepted: true, duplicate: false });
    const replay = (body: unknown): Promise<Response> =>
      fetch(`${api.url}/runner/jobs/${jobId}/complete`, {
        method: 'POST',
        headers: { authorization: `Bearer ${tokens.runner}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const again = await replay(reportB?.request);
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ accepted: true, duplicate: true });
    const stale = await replay({
      leaseId: leaseA?.leaseId,
      outcome: { status: 'failed', error: { code: 'EXECUTION_ERROR', message: 'late report from the dead runner', recoverySuggestion: 'none' }, durationMs: 1 },
    });
    expect(stale.status).toBe(409);
    expect(((await stale.json()) as { error: { code: string } }).error.code).toBe('LEASE_CONFLICT');

    // Another lease period later nothing has moved: no requeue after completion, same result.
    await sleep(LEASE_SEC * 1000 + 500);
    const later = await getJob(api, tokens.admin, jobId);
    expect(later).toMatchObject({ status: 'succeeded', attempts: 2, runnerId: 'lease-b', result: end.result });
    const lifecycle = events.frames.filter((f) => f.event?.startsWith('job.') && data(f)['jobId'] === jobId).map((f) => f.event);
    expect(lifecycle.filter((e) => e !== 'job.progress')).toEqual(['job.queued', 'job.claimed', 'job.requeued', 'job.claimed', 'job.succeeded']);
    expect(events.frames.some((f) => f.event === 'runner.left' && data(f)['runnerId'] === 'lease-a' && data(f)['reason'] === 'not-seen')).toBe(true);
    // Neither the dead runner's ping nor the second one is still running.
    expect(pingProcesses(address)).toEqual([]);
  });
});
