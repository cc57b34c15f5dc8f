import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plainHttpFetch } from '../../functions/shared/node/http-fetch';
import type { Logger } from '../../functions/shared/node/logger';
import { createRunnerClient } from '../../openapi/sdk/src/runner';
import { RunnerApi } from '../../runner/src/api';

// The runner's protocol calls over its plain-HTTP transport (functions/shared/node/http-fetch.ts, as runner/src/main.ts
// builds it) against a real server on loopback: bodies out, answers and error answers in, Retry-After honoured.
type Answer = { status: number; body: unknown; headers?: Record<string, string> };
const answers: Answer[] = [];
const seen: Array<{ path: string; body: unknown; auth: string | undefined; port: number | undefined }> = [];
let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      seen.push({ path: req.url ?? '', body: JSON.parse(body) as unknown, auth: req.headers.authorization, port: req.socket.remotePort });
      const next = answers.shift() ?? { status: 500, body: {} };
      res.writeHead(next.status, { 'content-type': 'application/json', ...next.headers }).end(JSON.stringify(next.body));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

const warnings: string[] = [];
const logger = { debug() {}, info() {}, warn: (_: unknown, msg: string) => void warnings.push(msg), error() {} } as unknown as Logger;
const neverFetch = (() => Promise.reject(new Error('fetch fallback used for plain HTTP'))) as typeof fetch;

function runnerApi(sleeps: number[]): RunnerApi {
  const client = createRunnerClient({ baseUrl: base, token: 'runner-token-0123456789', fetch: plainHttpFetch(neverFetch) });
  return new RunnerApi(client, 'r1', logger, { sleep: async (ms) => void sleeps.push(ms), random: () => 0 });
}

const job = {
  id: 'job-1',
  tool: 'ping',
  params: { target: '127.0.0.1' },
  timeoutSec: 10,
  attempt: 1,
  leaseId: 'lease-1',
  leaseExpiresAt: 1,
  heartbeatIntervalMs: 100,
};
const outcome = { status: 'succeeded' as const, result: { replies: [{ seq: 1, timeMs: 0.04 }] }, durationMs: 9.5 };

describe('the runner over node:http', () => {
  it('claims and completes with the token and JSON bodies, over one kept-alive connection', async () => {
    const sleeps: number[] = [];
    const api = runnerApi(sleeps);
    answers.push({ status: 200, body: { job, pollAgainMs: 0 } }, { status: 200, body: { accepted: true, duplicate: false } });
    const start = seen.length;
    expect(await api.claim(['ping'], 1000, new AbortController().signal)).toEqual(job);
    await api.complete(job, outcome);
    const calls = seen.slice(start);
    expect(calls.map((c) => c.path)).toEqual(['/runner/claim', '/runner/jobs/job-1/complete']);
    expect(calls[0]?.body).toEqual({ runnerId: 'r1', tools: ['ping'], waitMs: 1000 });
    expect(calls[1]?.body).toEqual({ leaseId: 'lease-1', outcome });
    expect(calls.every((c) => c.auth === 'Bearer runner-token-0123456789')).toBe(true);
    expect(calls[1]?.port).toBe(calls[0]?.port);
    expect(sleeps).toEqual([]);
  });

  it("retries a complete answered 503 after the API's Retry-After, and drops one answered 409", async () => {
    const sleeps: number[] = [];
    const api = runnerApi(sleeps);
    const busy = { error: { code: 'UNAVAILABLE', message: 'busy', recoverySuggestion: '', requestId: 'r' } };
    const conflict = { error: { code: 'LEASE_CONFLICT', message: 'gone', recoverySuggestion: '', requestId: 'r' } };
    answers.push({ status: 503, body: busy, headers: { 'retry-after': '3' } }, { status: 409, body: conflict });
    const start = seen.length;
    await api.complete(job, outcome);
    expect(seen.length - start).toBe(2);
    expect(sleeps).toEqual([3000]);
    expect(warnings).toContain('completion refused: lease no longer held');
  });
});
