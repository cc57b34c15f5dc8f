// No process the runner started is left behind, zombies included (issue 16): the runner kills the job, never the
// sandbox helper that reaps it (runner/src/sandbox/job-killer.ts). Checked through /proc by the pids seen while the
// job ran, since a zombie keeps its /proc entry but loses its command line. Loopback only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { childrenOf, jobProcesses, remaining, waitGone } from '../helpers/proc-watch';
import { type Running, type RunningApi, startApi, startRunner } from '../helpers/processes';
import { type TestTokens, makeTokens } from '../helpers/tokens';
import { connectHttp } from '../mcp/helpers/http-client';
import { sleep, startJob, uniqueLoopback, waitForJob } from './support';

const UNSHARE = ['/usr/bin/unshare', '/bin/unshare'].find((p) => existsSync(p));
let tokens: TestTokens;
let api: RunningApi;
let runner: Running;

beforeAll(async () => {
  tokens = makeTokens();
  api = await startApi(tokens, { MCP_ALLOW_LOOPBACK: 'true' });
  runner = await startRunner(api, tokens, { MCP_ALLOW_LOOPBACK: 'true', NETDIAG_RUNNER_ID: 'kill-cleanup' }, { waitFor: 'nmap' });
});
afterAll(async () => {
  await runner.stop();
  await api.stop();
});

/** A held call (the answer is the moment the job ended for the caller) started in the background. */
function heldCall(tool: string, params: Record<string, unknown>, signal?: AbortSignal): Promise<{ status: number; body: { error?: { code: string } } }> {
  return fetch(`${api.url}/tools/${tool}/execute`, {
    method: 'POST',
    headers: { authorization: `Bearer ${tokens.client}`, 'content-type': 'application/json' },
    body: JSON.stringify(params),
    ...(signal ? { signal } : {}),
  }).then(async (res) => ({ status: res.status, body: (await res.json()) as { error?: { code: string } } }));
}

/** The job's pids (the binary and its sandbox helper) once it runs. */
async function pidsOf(binary: string, address: string): Promise<number[]> {
  const until = Date.now() + 10_000;
  for (;;) {
    const found = jobProcesses(binary, address).map((p) => p.pid);
    if (found.length > 0) return found;
    if (Date.now() > until) throw new Error(`no ${binary} process for ${address}`);
    await sleep(20);
  }
}

describe('after the answer, nothing of the job is left (zombies included)', () => {
  it('at the deadline: nmap -T0 killed after its grace, gone 100 ms after the TIMEOUT answer', { timeout: 30_000 }, async () => {
    const address = uniqueLoopback();
    const answer = heldCall('nmap', { target: address, ports: '1-1000', timing: 'T0', timeoutSec: 2 });
    const pids = await pidsOf('nmap', address);
    const res = await answer;
    expect(res.body.error?.code).toBe('TIMEOUT');
    await sleep(100);
    expect(remaining(pids)).toEqual([]);
  });

  it('on DELETE /jobs/{id}: ping -c 10 gone 100 ms after the CANCELLED answer', { timeout: 30_000 }, async () => {
    const address = uniqueLoopback();
    const answer = heldCall('ping', { target: address, count: 10, intervalSec: 1 });
    const pids = await pidsOf('ping', address);
    await sleep(1500);
    const jobId = (await (await fetch(`${api.url}/jobs?status=running&tool=ping`, { headers: { authorization: `Bearer ${tokens.client}` } })).json()) as {
      jobs: Array<{ id: string; params: { target: string } }>;
    };
    const mine = jobId.jobs.find((j) => j.params.target === address);
    expect(mine).toBeDefined();
    const del = await fetch(`${api.url}/jobs/${mine?.id ?? ''}`, { method: 'DELETE', headers: { authorization: `Bearer ${tokens.client}` } });
    expect(del.status).toBe(200);
    const res = await answer;
    expect(res.body.error?.code).toBe('CANCELLED');
    await sleep(100);
    expect(remaining(pids)).toEqual([]);
    // Cancelling again, after the end, answers with the final state rather than an error.
    const again = await fetch(`${api.url}/jobs/${mine?.id ?? ''}`, { method: 'DELETE', headers: { authorization: `Bearer ${tokens.client}` } });
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ status: 'cancelled', error: { code: 'CANCELLED' } });
  });
});

describe('an MCP client cancelling its call (notifications/cancelled)', () => {
  it('stops ping through the control push: gone, zombies included, within 1 s of the cancel', { timeout: 30_000 }, async () => {
    const session = await connectHttp(api.url, tokens.client);
    try {
      const address = uniqueLoopback();
      const ac = new AbortController();
      const call = session.client.callTool({ name: 'ping', arguments: { target: address, count: 10, intervalSec: 1 } }, undefined, { signal: ac.signal });
      const settled = call.then(
        () => 'answered',
        () => 'rejected',
      );
      const pids = await pidsOf('ping', address);
      await sleep(1500);
      const t0 = performance.now();
      ac.abort('changed my mind');
      expect(await settled).toBe('rejected');
      const gone = await waitGone(pids, t0, 1000, 5);
      expect(gone.left).toEqual([]);
      // The runner was told over its control poll (it logs each control message with the job id).
      const list = (await (await fetch(`${api.url}/jobs?tool=ping`, { headers: { authorization: `Bearer ${tokens.client}` } })).json()) as {
        jobs: Array<{ id: string; status: string; params: { target: string } }>;
      };
      const job = list.jobs.find((j) => j.params.target === address);
      await waitForJob(api, tokens.client, job?.id ?? '', (j) => j.status === 'cancelled', 5000);
      expect(runner.logs()).toMatch(new RegExp(`"jobId":"${job?.id ?? 'none'}","control":"cancel"`));
    } finally {
      await session.close();
    }
  });
});

/** The runner's own pid when it was started under a wrapper (unshare --fork): the wrapper's one child. */
function childOf(pid: number): number {
  const kids = childrenOf(pid);
  if (kids.length !== 1 || kids[0] === undefined) throw new Error(`expected one child of ${pid}, found ${kids.join(',')}`);
  return kids[0];
}

describe('a runner killed with SIGKILL mid-job', () => {
  it('takes the job with it: no live process of the job 1 s later (the parent-death signal)', { timeout: 30_000 }, async () => {
    const doomed = await startRunner(api, tokens, { MCP_ALLOW_LOOPBACK: 'true', NETDIAG_RUNNER_ID: 'doomed' });
    await runner.stop(); // the shared runner must not take the job
    try {
      const address = uniqueLoopback();
      await startJob(api, tokens.client, 'ping', { target: address, count: 10, intervalSec: 1 });
      const pids = await pidsOf('ping', address);
      doomed.proc.kill('SIGKILL');
      const t0 = performance.now();
      // Reaping the orphans is up to whoever adopts them (the host's init); being dead is up to us.
      const until = t0 + 1000;
      while (remaining(pids).some((p) => p.state !== 'Z') && performance.now() < until) await sleep(10);
      expect(remaining(pids).filter((p) => p.state !== 'Z')).toEqual([]);
    } finally {
      await doomed.stop();
      runner = await startRunner(api, tokens, { MCP_ALLOW_LOOPBACK: 'true', NETDIAG_RUNNER_ID: 'kill-cleanup' }, { waitFor: 'nmap' });
    }
  });

  it.skipIf(!UNSHARE)(
    'as PID 1 of its own namespace (a container without init): nothing is left 1 s later, zombies included',
    { timeout: 30_000 },
    async () => {
      await runner.stop();
      const pid1 = await startRunner(
        api,
        tokens,
        { MCP_ALLOW_LOOPBACK: 'true', NETDIAG_RUNNER_ID: 'pid-one' },
        { wrap: [UNSHARE ?? '', '--pid', '--fork', '--kill-child'] },
      );
      try {
        const runnerPid = childOf(pid1.proc.pid ?? 0);
        const address = uniqueLoopback();
        const jobId = await startJob(api, tokens.client, 'ping', { target: address, count: 10, intervalSec: 1 });
        await waitForJob(api, tokens.client, jobId, (j) => j.status === 'running', 10_000);
        const pids = [runnerPid, ...(await pidsOf('ping', address))];
        expect(pid1.logs()).toMatch(/the runner is PID 1/);
        process.kill(runnerPid, 'SIGKILL');
        const gone = await waitGone(pids, performance.now(), 1000, 5);
        expect(gone.left).toEqual([]);
      } finally {
        await pid1.stop();
        runner = await startRunner(api, tokens, { MCP_ALLOW_LOOPBACK: 'true', NETDIAG_RUNNER_ID: 'kill-cleanup' }, { waitFor: 'nmap' });
      }
    },
  );
});
