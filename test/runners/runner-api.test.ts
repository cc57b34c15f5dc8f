import { describe, expect, it } from 'vitest';
import { createApiClient } from '../../openapi/client';
import { RunnerApi } from '../../runner/src/api';
import type { Logger } from '../../functions/shared/node/logger';

// The runner's register/deregister calls against a scripted fetch: which answers are retried, which end the call.
const quiet = { debug() {}, info() {}, warn() {}, error() {} } as unknown as Logger;
const json = (status: number, body: unknown): Response => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const error = (status: number, code: string): Response => json(status, { error: { code, message: code, recoverySuggestion: '', requestId: 'r' } });

function scripted(answers: Array<Response | Error>): { api: RunnerApi; calls: Array<{ path: string; body: unknown }> } {
  const calls: Array<{ path: string; body: unknown }> = [];
  const fetchStub = async (input: Request | string | URL): Promise<Response> => {
    const req = input instanceof Request ? input : new Request(input);
    calls.push({ path: new URL(req.url).pathname, body: JSON.parse(await req.text()) as unknown });
    const next = answers.shift();
    if (!next) throw new Error('no more scripted answers');
    if (next instanceof Error) throw next;
    return next;
  };
  const client = createApiClient({ baseUrl: 'http://127.0.0.1:9', token: 'runner-token-0123456789', fetch: fetchStub as typeof fetch });
  return { api: new RunnerApi(client, 'r1', quiet, { sleep: async () => undefined, random: () => 0 }), calls };
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
