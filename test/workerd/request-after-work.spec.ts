// A request's after-work on Workers, inside workerd through the real entry (functions/worker.ts): what runs after the
// Response is returned is only sure to run through waitUntil, so the request line is written before the answer is
// returned there (functions/src/telemetry/after-answer.ts), never left for later; and the answer carries X-Request-Id
// through Hono's headers (functions/src/middleware/request-id.ts), there being no node-server response to put it on.
import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import worker from '../../functions/worker';
import type { WorkerBindings } from '../../functions/workers/runtime';

const bindings: WorkerBindings = { ...(env as WorkerBindings), LOG_LEVEL: 'info' };

afterEach(() => vi.restoreAllMocks());

describe('request after-work on Workers', () => {
  it('writes the request line by the time the answer is returned, with its status and the answer id', async () => {
    const printed: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((line: unknown) => void printed.push(String(line)));
    const res = await worker.fetch(new Request('http://worker.test/livez', { headers: { 'x-request-id': 'workers-call-1' } }), bindings);
    const lines = printed.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l['msg'] === 'request');
    expect(res.status).toBe(200);
    expect(res.headers.get('x-request-id')).toBe('workers-call-1');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ requestId: 'workers-call-1', method: 'GET', path: '/livez', status: 200 });
  });
});
