import { describe, expect, it } from 'vitest';
import { createRunnerClient } from '../../openapi/sdk/src/runner';
import { RunnerApi } from '../../runner/src/api';
import type { Logger } from '../../functions/shared/node/logger';

// The runner's register/deregister calls against a scripted fetch: which answers are retried, which end the call.
const quiet = { debug() {}, info() {}, warn() {}, error() {} } as unknown as Logger;
const json = (status: number, body: unknown): Response => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const error = (status: number, code: string, headers: Record<string, string> = {}): Response => {
  const answer = json(status, { error: { code, message: code, recoverySuggestion: '', requestId: 'r' } });
  for (const [k, v] of Object.entries(headers)) answer.headers.set(k, v);
  return answer;
};

function scripted(answers: Array<Response | Error>): { api: RunnerApi; calls: Array<{ path: string; body: unknown }>; sleeps: number[] } {
  const calls: Array<{ path: string; body: unknown }> = [];
  const sleeps: number[] = [];
  const fetchStub = async (input: Request | string | URL, init?: RequestInit): Promise<Response> => {
    const req = input instanceof Request && init === undefined ? input : new Request(input, init);
    calls.push({ path: new URL(req.url).pathname, body: JSON.parse(await req.text()) as unknown });
    const next = answers.shift();
    if (!next) throw new Error('no more scripted answers');
    if (next instanceof Error) throw next;
    return next;
  };
  const client = createRunnerClient({ baseUrl: 'http://127.0.0.1:9', token: 'runner-token-0123456789', fetch: fetchStub as typeof fetch });
  // random 0: a backoff wait is 0 ms, so any other wait recorded is the API's Retry-After.
  const sleep = async (ms: number): Promise<void> => void sleeps.push(ms);
  return { api: new RunnerApi(client, 'r1', quiet, { sleep, random: () => 0 }), calls, sleeps };
}

const info = { version: '0.1.0', tools: ['ping'], privileged: false, capacity: 2 };

describe('RunnerApi.register', () => {
  it('sends id, version, tools, privilege and capacity', async () => {
    const { api, calls } = scripted([json(200, { registered: true, rejoined: false, leaseMs: 15000 })]);
    expect(await api.register(info, new AbortController().signal)).toBe('registered');
    expect(calls).toEqual([{ path: '/runner/register', body: { runnerId: 'r1', ...info } }]);
  });

  it('retries network errors and 5xx until the API answers', async () => {
    const { api, calls } = scripted([
      new TypeError('fetch failed'),
      error(503, 'RESOURCE_EXHAUSTED'),
      json(200, { registered: true, rejoined: false, leaseMs: 1 }),
    ]);
    expect(await api.register(info, new AbortController().signal)).toBe('registered');
    expect(calls).toHaveLength(3);
  });

  it('treats 404 as an older API without the route and carries on', async () => {
    const { api } = scripted([error(404, 'NOT_FOUND')]);
    expect(await api.register(info, new AbortController().signal)).toBe('unsupported');
  });

  it('throws on 401 and 403 (the token will not get better)', async () => {
    await expect(scripted([error(401, 'UNAUTHORIZED')]).api.register(info, new AbortController().signal)).rejects.toMatchObject({ status: 401 });
    await expect(scripted([error(403, 'FORBIDDEN')]).api.register(info, new AbortController().signal)).rejects.toMatchObject({ status: 403 });
  });

  it('gives up quietly when stopped', async () => {
    const stop = new AbortController();
    stop.abort();
    const { api, calls } = scripted([]);
    expect(await api.register(info, stop.signal)).toBe('stopped');
    expect(calls).toEqual([]);
  });
});

describe('RunnerApi.deregister', () => {
  it('sends the runner id once when the API answers', async () => {
    const { api, calls } = scripted([json(200, { deregistered: true })]);
    await api.deregister();
    expect(calls).toEqual([{ path: '/runner/deregister', body: { runnerId: 'r1' } }]);
  });

  it('tries four times at most, then only logs', async () => {
    const { api, calls } = scripted([
      new TypeError('fetch failed'),
      new TypeError('fetch failed'),
      error(502, 'EXECUTION_ERROR'),
      error(503, 'RESOURCE_EXHAUSTED'),
      json(200, { deregistered: true }),
    ]);
    await expect(api.deregister()).resolves.toBeUndefined();
    expect(calls).toHaveLength(4);
  });
});

const job = { id: 'j1', tool: 'ping', params: {}, timeoutSec: 5, attempt: 1, leaseId: 'l1', leaseExpiresAt: 0, heartbeatIntervalMs: 1000 };
const outcome = { status: 'succeeded', result: {}, durationMs: 1 } as const;

describe('RunnerApi.claim', () => {
  it('waits the Retry-After the API asks for (503 while draining, 429), then claims', async () => {
    const { api, calls, sleeps } = scripted([
      error(503, 'RESOURCE_EXHAUSTED', { 'retry-after': '3' }),
      error(429, 'RATE_LIMITED', { 'retry-after': '1' }),
      json(200, { job, pollAgainMs: 0 }),
    ]);
    expect(await api.claim(['ping'], 100, new AbortController().signal)).toEqual(job);
    expect(sleeps).toEqual([3000, 1000]);
    expect(calls.map((c) => c.body)).toEqual(Array(3).fill({ runnerId: 'r1', tools: ['ping'], waitMs: 100 }));
  });

  it('throws 401, 403 and other 4xx at once, with the code of the error body', async () => {
    for (const [status, code] of [
      [401, 'UNAUTHORIZED'],
      [403, 'FORBIDDEN'],
      [400, 'VALIDATION_ERROR'],
    ] as const) {
      const { api, calls } = scripted([error(status, code)]);
      await expect(api.claim(['ping'], 100, new AbortController().signal)).rejects.toMatchObject({ status, code });
      expect(calls).toHaveLength(1);
    }
  });

  it('pauses for pollAgainMs after an empty answer', async () => {
    const { api, sleeps } = scripted([json(200, { pollAgainMs: 250 })]);
    expect(await api.claim(['ping'], 100, new AbortController().signal)).toBeNull();
    expect(sleeps).toEqual([250]);
  });
});

describe('RunnerApi.heartbeat, complete and control', () => {
  it('heartbeat: 404 and 409 mean the lease is gone; a 5xx is thrown without a retry (the next tick is the retry)', async () => {
    expect(await scripted([error(404, 'NOT_FOUND')]).api.heartbeat(job, undefined)).toBe('lease-lost');
    expect(await scripted([error(409, 'LEASE_CONFLICT')]).api.heartbeat(job, undefined)).toBe('lease-lost');
    const failing = scripted([error(503, 'UNAVAILABLE'), json(200, { cancelRequested: false, leaseExpiresAt: 1 })]);
    await expect(failing.api.heartbeat(job, undefined)).rejects.toMatchObject({ status: 503 });
    expect(failing.calls).toEqual([{ path: '/runner/jobs/j1/heartbeat', body: { leaseId: 'l1' } }]);
    expect(await scripted([json(200, { cancelRequested: true, leaseExpiresAt: 1 })]).api.heartbeat(job, undefined)).toMatchObject({ cancelRequested: true });
  });

  it('complete: retries 5xx and network errors, drops a 404/409 answer, throws 401 at once', async () => {
    const retried = scripted([new TypeError('fetch failed'), error(502, 'EXECUTION_ERROR'), json(200, { accepted: true, duplicate: false })]);
    await retried.api.complete(job, outcome);
    expect(retried.calls.map((c) => c.path)).toEqual(Array(3).fill('/runner/jobs/j1/complete'));
    expect(retried.calls[0]?.body).toEqual({ leaseId: 'l1', outcome });
    const gone = scripted([error(409, 'LEASE_CONFLICT')]);
    await expect(gone.api.complete(job, outcome)).resolves.toBeUndefined();
    expect(gone.calls).toHaveLength(1);
    await expect(scripted([error(401, 'UNAUTHORIZED')]).api.complete(job, outcome)).rejects.toMatchObject({ status: 401 });
  });

  it('control: the messages, or unsupported from an older API (404)', async () => {
    const message = { type: 'cancel', jobId: 'j1', leaseId: 'l1' };
    expect(await scripted([json(200, { messages: [message] })]).api.control(100, new AbortController().signal)).toEqual([message]);
    expect(await scripted([error(404, 'NOT_FOUND')]).api.control(100, new AbortController().signal)).toBe('unsupported');
  });
});
