import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Running, type RunningApi, startApi, startRunner } from '../helpers/processes';
import { type TestTokens, makeTokens } from '../helpers/tokens';
import {
  type RecordingProxy,
  TERMINAL,
  claimedJobs,
  exchangeFor,
  getJob,
  pingProcesses,
  sleep,
  startJob,
  startRecordingProxy,
  uniqueLoopback,
  waitForJob,
} from './support';

// DELETE /jobs/{id} on a running `ping -c 10 -i 1`: the API pushes the cancel down the runner's control long-poll
// (POST /runner/control), the runner kills the job and reports; nothing of the job is left running. With the control
// poll down, the next heartbeat reply still brings it (the fallback).
const LEASE_SEC = 6;
let tokens: TestTokens;
let api: RunningApi;
let proxy: RecordingProxy;
let runner: Running;

beforeAll(async () => {
  tokens = makeTokens();
  api = await startApi(tokens, { MCP_ALLOW_LOOPBACK: 'true', MCP_RUNNER_LEASE_SEC: String(LEASE_SEC) });
  proxy = await startRecordingProxy(api.url);
  runner = await startRunner({ ...api, url: proxy.url }, tokens, { MCP_ALLOW_LOOPBACK: 'true', NETDIAG_RUNNER_ID: 'cancel-runner' });
});
afterAll(async () => {
  await runner.stop();
  await proxy.close();
  await api.stop();
});

/** Wait until no process for `address` is left, up to `ms` (a killed child may take a moment to be reaped). */
async function noneLeft(address: string, ms: number): Promise<Array<{ pid: number; argv: string[] }>> {
  const until = Date.now() + ms;
  let left = pingProcesses(address);
  while (left.length > 0 && Date.now() < until) {
    await sleep(25);
    left = pingProcesses(address);
  }
  return left;
}

describe('DELETE /jobs/{id} while ping runs', () => {
  it('ends the job as cancelled within two heartbeat intervals and leaves no ping process', { timeout: 40_000 }, async () => {
    const address = uniqueLoopback();
    const jobId = await startJob(api, tokens.client, 'ping', { target: address, count: 10, intervalSec: 1 });
    await waitForJob(api, tokens.client, jobId, (j) => j.status === 'running' && (j.progress?.progress ?? 0) >= 1, 10_000);
    const running = pingProcesses(address);
    // The job's own parameters on its command line: -c 10 -i 1.
    const follows = (argv: string[], flag: string, value: string): boolean => argv.some((a, i) => a === flag && argv[i + 1] === value);
    expect(running.some((p) => follows(p.argv, '-c', '10') && follows(p.argv, '-i', '1'))).toBe(true);

    const claim = claimedJobs(proxy).find((j) => j.id === jobId);
    const heartbeatMs = claim?.heartbeatIntervalMs ?? 0;
    expect(heartbeatMs).toBeGreaterThan(0);

    const del = await fetch(`${api.url}/jobs/${jobId}`, { method: 'DELETE', headers: { authorization: `Bearer ${tokens.client}` } });
    expect(del.status).toBe(200);
    const end = await waitForJob(api, tokens.client, jobId, (j) => TERMINAL.has(j.status), 2 * heartbeatMs);
    expect(end.status).toBe('cancelled');
    expect(end.error?.code).toBe('CANCELLED');
    expect(await noneLeft(address, 1000)).toEqual([]);

    // The runner was told over its control poll, naming the job and its lease, and reported under that lease.
    const told = proxy.exchanges.find(
      (e) =>
        e.path === '/runner/control' &&
        (e.response as { messages?: Array<{ type: string; jobId: string; leaseId: string }> }).messages?.some(
          (m) => m.type === 'cancel' && m.jobId === jobId && m.leaseId === claim?.leaseId,
        ),
    );
    expect(told?.request).toMatchObject({ runnerId: 'cancel-runner' });
    const report = await exchangeFor(proxy, `/runner/jobs/${jobId}/complete`);
    expect(report?.request).toMatchObject({ leaseId: claim?.leaseId, outcome: { status: 'failed', error: { code: 'CANCELLED' } } });
    expect((await getJob(api, tokens.client, jobId)).attempts).toBe(1);
  });
});

describe('DELETE /jobs/{id} while the control poll is down', () => {
  it('still ends the job through the heartbeat reply and leaves no ping process', { timeout: 40_000 }, async () => {
    const t = makeTokens();
    const api2 = await startApi(t, { MCP_ALLOW_LOOPBACK: 'true', MCP_RUNNER_LEASE_SEC: String(LEASE_SEC) });
    // Every control poll fails with 503: the runner backs off and keeps trying; heartbeats are the only channel left.
    const downProxy = await startRecordingProxy(api2.url, { refuse: (_m, path) => (path === '/runner/control' ? 503 : undefined) });
    const runner2 = await startRunner({ ...api2, url: downProxy.url }, t, { MCP_ALLOW_LOOPBACK: 'true', NETDIAG_RUNNER_ID: 'no-control-runner' });
    try {
      const address = uniqueLoopback();
      const jobId = await startJob(api2, t.client, 'ping', { target: address, count: 10, intervalSec: 1 });
      await waitForJob(api2, t.client, jobId, (j) => j.status === 'running' && (j.progress?.progress ?? 0) >= 1, 10_000);
      const heartbeatMs = claimedJobs(downProxy).find((j) => j.id === jobId)?.heartbeatIntervalMs ?? 0;
      expect(pingProcesses(address).length).toBeGreaterThan(0);
      const del = await fetch(`${api2.url}/jobs/${jobId}`, { method: 'DELETE', headers: { authorization: `Bearer ${t.client}` } });
      expect(del.status).toBe(200);
      const end = await waitForJob(api2, t.client, jobId, (j) => TERMINAL.has(j.status), 2 * heartbeatMs);
      expect(end.status).toBe('cancelled');
      expect(await noneLeft(address, 1000)).toEqual([]);
      const told = downProxy.exchanges.find(
        (e) => e.path === `/runner/jobs/${jobId}/heartbeat` && (e.response as { cancelRequested?: boolean }).cancelRequested === true,
      );
      expect(told).toBeDefined();
      // The runner did try its control poll, and every try was refused.
      const polls = downProxy.exchanges.filter((e) => e.path === '/runner/control');
      expect(polls.length).toBeGreaterThan(0);
      expect(polls.every((e) => e.status === 503)).toBe(true);
    } finally {
      await runner2.stop();
      await downProxy.close();
      await api2.stop();
    }
  });
});
