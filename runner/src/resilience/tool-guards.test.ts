import { describe, expect, it, vi } from 'vitest';
import { errorInfo } from '../../../functions/shared/errors/codes';
import type { JobOutcome } from '../../../openapi/sdk/src/runner';
import { createToolGuards, type Guarded } from './tool-guards';
import { classifyOutcome } from './verdict';

const ok: JobOutcome = { status: 'succeeded', result: { lossPercent: 0 }, durationMs: 1 };
const hostDown: JobOutcome = { status: 'succeeded', result: { lossPercent: 100 }, durationMs: 1 };
const crashed: JobOutcome = { status: 'failed', error: errorInfo('EXECUTION_ERROR', 'exit 2'), durationMs: 1 };
const refused: JobOutcome = { status: 'failed', error: errorInfo('VALIDATION_ERROR', 'bad'), durationMs: 1 };
const cancelled: JobOutcome = { status: 'failed', error: errorInfo('CANCELLED', 'stop'), durationMs: 1 };

const guards = (over: Partial<Parameters<typeof createToolGuards>[0]> = {}) =>
  createToolGuards({ concurrency: () => 2, threshold: 5, recoveryMs: 150, ...over });

function deferred<T>(): { promise: Promise<T>; resolve: (v: T) => void } {
  let resolve: (v: T) => void = () => undefined;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const code = (g: Guarded<unknown>) => (g.ok ? 'ran' : g.error.code);

describe('circuit breaker per tool', () => {
  it('opens after 5 consecutive failures, fails fast without calling, closes after a successful trial', async () => {
    const states: string[] = [];
    const g = guards({ onStateChange: (tool, s) => states.push(`${tool}:${s}`) });
    const fn = vi.fn(async () => crashed);
    for (let i = 0; i < 5; i++) expect(code(await g.run('ping', fn, classifyOutcome))).toBe('ran');
    expect(g.state()[0]).toMatchObject({ tool: 'ping', breaker: 'OPEN', consecutiveFailures: 5 });

    const refusedCall = await g.run('ping', fn, classifyOutcome);
    expect(code(refusedCall)).toBe('CIRCUIT_BREAKER_OPEN');
    expect(refusedCall.ok ? {} : refusedCall.error.details).toMatchObject({ tool: 'ping', state: 'OPEN' });
    expect(fn).toHaveBeenCalledTimes(5);
    // Other tools are not affected.
    expect(code(await g.run('nmap', async () => ok, classifyOutcome))).toBe('ran');

    await sleep(170);
    expect(g.state().find((s) => s.tool === 'ping')?.breaker).toBe('HALF_OPEN');
    const trial = await g.run('ping', async () => ok, classifyOutcome);
    expect(trial).toEqual({ ok: true, value: ok });
    expect(g.state().find((s) => s.tool === 'ping')).toMatchObject({ breaker: 'CLOSED', consecutiveFailures: 0 });
    expect(states).toEqual(['ping:OPEN', 'ping:HALF_OPEN', 'ping:CLOSED']);
  });

  it('a failed trial opens it again for another recovery period', async () => {
    const g = guards({ threshold: 2 });
    for (let i = 0; i < 2; i++) await g.run('ping', async () => crashed, classifyOutcome);
    await sleep(170);
    expect(code(await g.run('ping', async () => crashed, classifyOutcome))).toBe('ran');
    expect(g.state()[0]?.breaker).toBe('OPEN');
    expect(code(await g.run('ping', async () => ok, classifyOutcome))).toBe('CIRCUIT_BREAKER_OPEN');
  });

  it('valid results with bad news and refusals never open it', async () => {
    const g = guards();
    for (let i = 0; i < 12; i++) await g.run('ping', async () => (i % 2 ? hostDown : refused), classifyOutcome);
    expect(g.state()[0]).toMatchObject({ breaker: 'CLOSED', consecutiveFailures: 0 });
  });

  it('a success resets the count; a neutral outcome neither counts nor resets', async () => {
    const g = guards();
    for (const o of [crashed, crashed, crashed, crashed, ok, crashed, crashed]) await g.run('ping', async () => o, classifyOutcome);
    expect(g.state()[0]).toMatchObject({ breaker: 'CLOSED', consecutiveFailures: 2 });
    for (const o of [crashed, crashed, cancelled, refused]) await g.run('ping', async () => o, classifyOutcome);
    expect(g.state()[0]).toMatchObject({ breaker: 'CLOSED', consecutiveFailures: 4 });
    await g.run('ping', async () => crashed, classifyOutcome);
    expect(g.state()[0]?.breaker).toBe('OPEN');
  });

  it('an exception from the call counts as a failure and is rethrown unchanged', async () => {
    const g = guards({ threshold: 1 });
    const boom = new Error('executor crashed');
    await expect(g.run('ping', async () => Promise.reject(boom), classifyOutcome)).rejects.toBe(boom);
    expect(g.state()[0]?.breaker).toBe('OPEN');
  });
});

describe('concurrency per tool', () => {
  it('with concurrency 2 a third call waits for a slot, then runs', async () => {
    const g = guards();
    const gates = [deferred<JobOutcome>(), deferred<JobOutcome>(), deferred<JobOutcome>()];
    const started: number[] = [];
    const calls = gates.map((d, i) => g.run('nmap', () => (started.push(i), d.promise), classifyOutcome));
    await sleep(10);
    expect(started).toEqual([0, 1]);
    expect(g.state()[0]).toMatchObject({ active: 2, queued: 1, concurrency: 2 });
    gates[0]?.resolve(ok);
    await sleep(10);
    expect(started).toEqual([0, 1, 2]);
    gates[1]?.resolve(ok);
    gates[2]?.resolve(ok);
    expect((await Promise.all(calls)).map(code)).toEqual(['ran', 'ran', 'ran']);
    expect(g.state()[0]).toMatchObject({ active: 0, queued: 0 });
  });

  it('refuses with RESOURCE_EXHAUSTED when the queue is full, without calling', async () => {
    const g = guards({ concurrency: (tool) => (tool === 'nmap' ? 1 : 2), queueLimit: () => 1 });
    const gate = deferred<JobOutcome>();
    const fn = vi.fn(() => gate.promise);
    const first = g.run('nmap', fn, classifyOutcome);
    const second = g.run('nmap', fn, classifyOutcome);
    const third = await g.run('nmap', fn, classifyOutcome);
    expect(code(third)).toBe('RESOURCE_EXHAUSTED');
    expect(third.ok ? {} : third.error.details).toMatchObject({ tool: 'nmap', active: 1, queued: 1, concurrency: 1, queueLimit: 1 });
    expect(fn).toHaveBeenCalledTimes(1);
    gate.resolve(ok);
    expect([code(await first), code(await second)]).toEqual(['ran', 'ran']);
    // Refusals by the guard are not failures of the tool.
    expect(g.state()[0]?.breaker).toBe('CLOSED');
  });

  it('a call cancelled while waiting returns CANCELLED, never runs, and the queue keeps moving', async () => {
    const g = guards({ concurrency: () => 1 });
    const gate = deferred<JobOutcome>();
    const running = g.run('ping', () => gate.promise, classifyOutcome);
    const abort = new AbortController();
    const neverRuns = vi.fn(async () => ok);
    const waiting = g.run('ping', neverRuns, classifyOutcome, { signal: abort.signal });
    const after = g.run('ping', async () => ok, classifyOutcome);
    abort.abort();
    expect(code(await waiting)).toBe('CANCELLED');
    expect(g.state()[0]).toMatchObject({ active: 1, queued: 1 });
    gate.resolve(ok);
    expect(code(await running)).toBe('ran');
    expect(code(await after)).toBe('ran');
    expect(neverRuns).not.toHaveBeenCalled();
  });

  it('gives up with RESOURCE_EXHAUSTED after maxQueueWaitMs, or the per-call maxWaitMs', async () => {
    const g = guards({ concurrency: () => 1, maxQueueWaitMs: 50 });
    const gate = deferred<JobOutcome>();
    const running = g.run('ping', () => gate.promise, classifyOutcome);
    const t0 = Date.now();
    expect(code(await g.run('ping', async () => ok, classifyOutcome))).toBe('RESOURCE_EXHAUSTED');
    expect(code(await g.run('ping', async () => ok, classifyOutcome, { maxWaitMs: 10 }))).toBe('RESOURCE_EXHAUSTED');
    expect(Date.now() - t0).toBeLessThan(500);
    expect(g.state()[0]).toMatchObject({ active: 1, queued: 0 });
    gate.resolve(ok);
    expect(code(await running)).toBe('ran');
    expect(code(await g.run('ping', async () => ok, classifyOutcome))).toBe('ran');
  });
});
