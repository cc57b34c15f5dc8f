// The API on Workers end to end, on loopback only: `npm run dev:workers` (wrangler dev --local, workerd, the Durable
// Object broker) with a Node runner attached, driven through REST and /mcp as a user would (docs/design.md, "Workers").
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DevWorkers, startDevWorkers } from '../helpers/dev-workers';
import { closedPort, type Running, startRunner } from '../helpers/processes';
import { remaining } from '../helpers/proc-watch';
import { connectHttp } from '../mcp/helpers/http-client';
import { connectShim } from '../helpers/shim-client';
import { getJob, pingProcesses, sleep, startJob, uniqueLoopback, waitForJob } from '../runners/support';

const RATE_LIMIT = 8;
// Short leases, so a lost runner's job is requeued within seconds (the Durable Object's lease timer and alarm).
const SETTINGS = { MCP_RATE_LIMIT_PER_MINUTE: String(RATE_LIMIT), MCP_RUNNER_LEASE_SEC: '2' };
let stateDir: string;
let port: number;
let api: DevWorkers;
let runner: Running;

const auth = (token: string) => ({ authorization: `Bearer ${token}`, 'content-type': 'application/json' });
const finished = (j: { status: string }) => ['succeeded', 'failed', 'cancelled'].includes(j.status);

beforeAll(async () => {
  stateDir = mkdtempSync(join(tmpdir(), 'netdiag-workers-'));
  port = await closedPort();
  api = await startDevWorkers(stateDir, port, SETTINGS);
  // One job at a time: while it runs, the runner has no claim parked. wrangler dev does not tell the Worker when a
  // client hangs up, so a SIGKILLed runner's parked claim would stay parked and could be handed the requeued job
  // (docs/design.md, "Workers"); the test is about the lease, not about that.
  runner = await startRunner(api, api.tokens, { MCP_ALLOW_LOOPBACK: 'true', NETDIAG_RUNNER_ID: 'workers-e2e', NETDIAG_RUNNER_CAPACITY: '1' });
}, 90_000);

afterAll(async () => {
  await runner?.stop();
  await api?.stop();
  rmSync(stateDir, { recursive: true, force: true });
});

describe('the Worker in workerd with a Node runner', () => {
  let syncJobId = '';

  it('runs ping on 127.0.0.1 through a held REST call', { timeout: 30_000 }, async () => {
    const res = await fetch(`${api.url}/tools/ping/execute`, {
      method: 'POST',
      headers: auth(api.tokens.client),
      body: JSON.stringify({ target: '127.0.0.1', count: 1 }),
    });
    const body = (await res.json()) as { status: string; jobId: string; result: { received: number } };
    expect(res.status, JSON.stringify(body)).toBe(200);
    expect(body).toMatchObject({ status: 'succeeded', result: { received: 1 } });
    syncJobId = body.jobId;
    // Its audit record went to the console (Workers Logs), where wrangler dev prints it.
    for (let i = 0; i < 40 && !api.logs().includes(`"jobId":"${syncJobId}"`); i += 1) await sleep(50);
    expect(api.logs()).toMatch(new RegExp(`"audit":true[^\n]*"kind":"execute"[^\n]*"jobId":"${syncJobId}"`));
  });

  it('runs it asynchronously, readable with GET /jobs/{id}', { timeout: 30_000 }, async () => {
    const id = await startJob(api, api.tokens.client, 'ping', { target: '127.0.0.1', count: 1 });
    expect(await waitForJob(api, api.tokens.client, id, finished, 20_000)).toMatchObject({ status: 'succeeded', runnerId: 'workers-e2e' });
  });

  it('runs it through /mcp with the SDK client', { timeout: 30_000 }, async () => {
    const session = await connectHttp(api.url, api.tokens.client);
    try {
      const result = await session.client.callTool({ name: 'ping', arguments: { target: '127.0.0.1', count: 1 } });
      expect(result.isError).toBeFalsy();
      expect(result.structuredContent).toMatchObject({ received: 1 });
    } finally {
      await session.close();
    }
  });

  it('runs it through the stdio shim, unchanged', { timeout: 30_000 }, async () => {
    const shim = await connectShim({ NETDIAG_API_URL: api.url, NETDIAG_TOKEN: api.tokens.client });
    try {
      const result = await shim.client.callTool({ name: 'ping', arguments: { target: '127.0.0.1', count: 1 } });
      expect(result.isError, shim.stderr()).toBeFalsy();
      expect(result.structuredContent).toMatchObject({ received: 1 });
    } finally {
      await shim.close();
    }
  });

  it('requeues the job of a SIGKILLed runner once its lease runs out; the next runner finishes it', { timeout: 60_000 }, async () => {
    const id = await startJob(api, api.tokens.client, 'ping', { target: uniqueLoopback(), count: 3, intervalSec: 1 });
    await waitForJob(api, api.tokens.client, id, (j) => j.status === 'running', 10_000);
    runner.proc.kill('SIGKILL');
    await runner.stop();
    runner = await startRunner(api, api.tokens, { MCP_ALLOW_LOOPBACK: 'true', NETDIAG_RUNNER_ID: 'workers-e2e-2' });
    const ended = await waitForJob(api, api.tokens.client, id, finished, 30_000);
    expect(ended, JSON.stringify(ended)).toMatchObject({ status: 'succeeded', attempts: 2, runnerId: 'workers-e2e-2' });
  });

  it('cancels a running ping -c 10 with DELETE /jobs/{id}: the runner kills its process', { timeout: 30_000 }, async () => {
    const address = uniqueLoopback();
    const id = await startJob(api, api.tokens.client, 'ping', { target: address, count: 10, intervalSec: 1 });
    await waitForJob(api, api.tokens.client, id, (j) => j.status === 'running', 10_000);
    let pids: number[] = [];
    for (let i = 0; i < 100 && pids.length === 0; i += 1, await sleep(50)) pids = pingProcesses(address).map((p) => p.pid);
    expect(pids.length).toBeGreaterThan(0);
    const del = await fetch(`${api.url}/jobs/${id}`, { method: 'DELETE', headers: auth(api.tokens.client) });
    expect(del.status).toBe(200);
    expect(await waitForJob(api, api.tokens.client, id, finished, 10_000)).toMatchObject({ status: 'cancelled', error: { code: 'CANCELLED' } });
    for (let i = 0; i < 40 && remaining(pids).some((p) => p.state !== 'Z'); i += 1) await sleep(50);
    expect(remaining(pids).filter((p) => p.state !== 'Z')).toEqual([]);
  });

  it('holds the rate limit across requests (the buckets live in the Durable Object)', { timeout: 30_000 }, async () => {
    // The admin token's bucket is untouched so far: RATE_LIMIT calls pass, the next one is refused.
    const statuses: number[] = [];
    for (let i = 0; i <= RATE_LIMIT; i += 1) {
      const res = await fetch(`${api.url}/tools/ping/execute?async=true`, {
        method: 'POST',
        headers: auth(api.tokens.admin),
        body: JSON.stringify({ target: '127.0.0.1', count: 1 }),
      });
      statuses.push(res.status);
    }
    expect(statuses).toEqual([...Array<number>(RATE_LIMIT).fill(202), 429]);
  });

  it('serves /docs and its Swagger UI files byte for byte as swagger-ui-dist has them, and /openapi.json, without a token', { timeout: 30_000 }, async () => {
    const page = await fetch(`${api.url}/docs`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toMatch(/script-src 'self';/);
    expect(await page.text()).toContain('/docs/assets/swagger-ui.css');
    for (const file of ['swagger-ui-bundle.js', 'swagger-ui.css']) {
      const res = await fetch(`${api.url}/docs/assets/${file}`);
      expect(res.status, file).toBe(200);
      const served = Buffer.from(await res.arrayBuffer());
      expect(served.equals(readFileSync(createRequire(import.meta.url).resolve(`swagger-ui-dist/${file}`))), file).toBe(true);
    }
    const spec = await fetch(`${api.url}/openapi.json`);
    expect(spec.status).toBe(200);
    expect(((await spec.json()) as { paths: Record<string, unknown> }).paths).toHaveProperty('/tools/ping/execute');
  });

  it('keeps finished jobs readable after the dev server restarts (Durable Object storage persists)', { timeout: 90_000 }, async () => {
    await api.stop();
    api = await startDevWorkers(stateDir, port, SETTINGS);
    expect(await getJob(api, api.tokens.client, syncJobId)).toMatchObject({ id: syncJobId, status: 'succeeded', result: { received: 1 } });
  });
});
