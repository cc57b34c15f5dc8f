import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Running, type RunningApi, startApi, startRunner } from '../helpers/processes';
import { type TestTokens, makeTokens } from '../helpers/tokens';
import { type SseFrame, data, readSse, startJob } from './support';

// GET /jobs/{id}/events through the real server while a real ping runs: progress arrives live, and a client that
// reconnects with Last-Event-ID gets the rest without repeats.
let tokens: TestTokens;
let api: RunningApi;
let runner: Running;

beforeAll(async () => {
  tokens = makeTokens();
  api = await startApi(tokens, { MCP_ALLOW_LOOPBACK: 'true' });
  runner = await startRunner(api, tokens, { MCP_ALLOW_LOOPBACK: 'true' });
});
afterAll(async () => {
  await runner.stop();
  await api.stop();
});

const events = (jobId: string, lastEventId?: string): Promise<Response> =>
  fetch(`${api.url}/jobs/${jobId}/events`, { headers: { authorization: `Bearer ${tokens.client}`, ...(lastEventId ? { 'last-event-id': lastEventId } : {}) } });

const ENDED = new Set(['job.succeeded', 'job.failed', 'job.cancelled']);
const progressOf = (f: SseFrame): number => Number((data(f)['progress'] as { progress?: number } | undefined)?.progress);

describe('job events over SSE (real server, real ping)', () => {
  it('streams progress of a running job and resumes after Last-Event-ID without repeats', { timeout: 30_000 }, async () => {
    const jobId = await startJob(api, tokens.client, 'ping', { target: '127.0.0.1', count: 5, intervalSec: 1 });
    const first = await events(jobId);
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toMatch(/^text\/event-stream/);
    // Leave after two progress events, mid-job.
    const before = await readSse(first, (_f, all) => all.filter((x) => x.event === 'job.progress').length >= 2);
    expect(before[0]?.event).toBe('state');
    const progress = before.filter((f) => f.event === 'job.progress');
    expect(progress.map((f) => data(f)['status'])).toEqual(['running', 'running']);
    expect(progressOf(progress[0] as SseFrame)).toBeGreaterThanOrEqual(1);
    const lastId = progress[1]?.id ?? '';
    expect(Number(lastId)).toBeGreaterThan(0);

    const second = await events(jobId, lastId);
    const after = await readSse(second, (f) => ENDED.has(f.event ?? ''));
    expect(after[0]?.event).toBe('state');
    const resumed = after.slice(1);
    expect(resumed.at(-1)?.event, resumed.at(-1)?.data).toBe('job.succeeded');
    expect(resumed.every((f) => Number(f.id) > Number(lastId))).toBe(true);

    const ids = [...before, ...after].flatMap((f) => (f.id ? [Number(f.id)] : []));
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    const allProgress = [...progress, ...resumed.filter((f) => f.event === 'job.progress')].map(progressOf);
    // Progress only moves forward (a periodic heartbeat may repeat the latest value, under a new event id).
    expect(allProgress).toEqual([...allProgress].sort((a, b) => a - b));
    expect(data(resumed.at(-1))).toMatchObject({ jobId, status: 'succeeded' });
  });
});
