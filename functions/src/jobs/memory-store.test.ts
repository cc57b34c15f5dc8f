import { afterEach, describe, expect, it } from 'vitest';
import { ApiError } from '../errors/api-error';
import { errorInfo } from '../../shared/errors/codes';
import { MemoryJobStore } from './memory-store';

const newJob = (tool = 'ping') => ({ tool, params: { target: '10.0.0.1' }, target: '10.0.0.1', principal: 'p', timeoutSec: 5 });
const ok = { status: 'succeeded' as const, result: { x: 1 }, durationMs: 3 };

let store: MemoryJobStore;
afterEach(() => store.close());

describe('dispatch', () => {
  it('hands a new job at once to a runner already waiting', async () => {
    store = new MemoryJobStore({ leaseMs: 1000, maxQueued: 10, maxRetained: 10 });
    const claim = store.claim({ runnerId: 'r1', tools: ['ping'], waitMs: 5000 });
    const job = await store.enqueue(newJob());
    const lease = await claim;
    expect(lease?.job.id).toBe(job.id);
    expect(job.status).toBe('running');
    expect(job.attempts).toBe(1);
  });

  it('routes jobs only to runners that advertise the tool', async () => {
    store = new MemoryJobStore({ leaseMs: 1000, maxQueued: 10, maxRetained: 10 });
    const pingOnly = store.claim({ runnerId: 'r1', tools: ['ping'], waitMs: 200 });
    const withNmap = store.claim({ runnerId: 'r2', tools: ['ping', 'nmap'], waitMs: 5000 });
    const job = await store.enqueue(newJob('nmap'));
    expect((await withNmap)?.job.id).toBe(job.id);
    expect(await pingOnly).toBeNull();
  });

  it('returns null after waitMs when nothing arrives, and when the claim is aborted', async () => {
    store = new MemoryJobStore({ leaseMs: 1000, maxQueued: 10, maxRetained: 10 });
    expect(await store.claim({ runnerId: 'r1', tools: ['ping'], waitMs: 20 })).toBeNull();
    const ac = new AbortController();
    const pending = store.claim({ runnerId: 'r1', tools: ['ping'], waitMs: 10_000, signal: ac.signal });
    ac.abort();
    expect(await pending).toBeNull();
    // The aborted waiter must not swallow the next job.
    await store.enqueue(newJob());
    expect((await store.list({ status: 'queued' })).length).toBe(1);
  });

  it('refuses with RESOURCE_EXHAUSTED when the queue is full', async () => {
    store = new MemoryJobStore({ leaseMs: 1000, maxQueued: 2, maxRetained: 10 });
    await store.enqueue(newJob());
    await store.enqueue(newJob());
    await expect(store.enqueue(newJob())).rejects.toMatchObject({ info: { code: 'RESOURCE_EXHAUSTED' } });
  });
});

describe('completion', () => {
  it('is idempotent for the same lease and 409 for another', async () => {
    store = new MemoryJobStore({ leaseMs: 1000, maxQueued: 10, maxRetained: 10 });
    const job = await store.enqueue(newJob());
    const lease = await store.claim({ runnerId: 'r1', tools: ['ping'], waitMs: 0 });
    expect(lease).not.toBeNull();
    const first = await store.complete(job.id, lease?.leaseId ?? '', ok);
    const again = await store.complete(job.id, lease?.leaseId ?? '', ok);
    expect([first.duplicate, again.duplicate]).toEqual([false, true]);
    await expect(store.complete(job.id, 'other-lease', ok)).rejects.toBeInstanceOf(ApiError);
    await expect(store.complete(job.id, 'other-lease', ok)).rejects.toMatchObject({ status: 409 });
    expect((await store.waitForEnd(job.id)).status).toBe('succeeded');
  });

  it('marks a CANCELLED outcome as cancelled', async () => {
    store = new MemoryJobStore({ leaseMs: 1000, maxQueued: 10, maxRetained: 10 });
    const job = await store.enqueue(newJob());
    const lease = await store.claim({ runnerId: 'r1', tools: ['ping'], waitMs: 0 });
    await store.cancel(job.id, errorInfo('CANCELLED', 'stop'));
    expect((await store.heartbeat(job.id, lease?.leaseId ?? '')).cancelRequested).toBe(true);
    await store.complete(job.id, lease?.leaseId ?? '', { status: 'failed', error: errorInfo('CANCELLED', 'killed'), durationMs: 1 });
    expect(job.status).toBe('cancelled');
  });
});

describe('leases', () => {
  it('requeues a job whose lease expires once, then fails it', async () => {
    store = new MemoryJobStore({ leaseMs: 30, maxQueued: 10, maxRetained: 10 });
    const job = await store.enqueue(newJob());
    const first = await store.claim({ runnerId: 'r1', tools: ['ping'], waitMs: 0 });
    const second = await store.claim({ runnerId: 'r2', tools: ['ping'], waitMs: 1000 });
    expect(second?.job.id).toBe(job.id);
    expect(second?.leaseId).not.toBe(first?.leaseId);
    // The first runner's late report is refused: the job belongs to the second lease now.
    await expect(store.complete(job.id, first?.leaseId ?? '', ok)).rejects.toMatchObject({ status: 409 });
    const ended = await store.waitForEnd(job.id);
    expect(ended).toMatchObject({ status: 'failed', attempts: 2, error: { code: 'EXECUTION_ERROR' } });
    await expect(store.complete(job.id, second?.leaseId ?? '', ok)).rejects.toMatchObject({ status: 409 });
  });

  it('keeps a lease alive while heartbeats arrive', async () => {
    store = new MemoryJobStore({ leaseMs: 60, maxQueued: 10, maxRetained: 10 });
    const job = await store.enqueue(newJob());
    const lease = await store.claim({ runnerId: 'r1', tools: ['ping'], waitMs: 0 });
    for (let i = 0; i < 5; i += 1) {
      await new Promise((r) => setTimeout(r, 30));
      await store.heartbeat(job.id, lease?.leaseId ?? '', { progress: i });
    }
    expect(job.status).toBe('running');
    expect(job.attempts).toBe(1);
    expect(job.progress).toEqual({ progress: 4 });
  });
});

describe('failIfQueued', () => {
  it('ends a job nobody claimed and leaves a claimed one alone', async () => {
    store = new MemoryJobStore({ leaseMs: 1000, maxQueued: 10, maxRetained: 10 });
    const a = await store.enqueue(newJob());
    expect(await store.failIfQueued(a.id, errorInfo('NO_RUNNER', 'none'))).toBe(true);
    expect(a).toMatchObject({ status: 'failed', error: { code: 'NO_RUNNER' } });
    const b = await store.enqueue(newJob());
    await store.claim({ runnerId: 'r1', tools: ['ping'], waitMs: 0 });
    expect(await store.failIfQueued(b.id, errorInfo('NO_RUNNER', 'none'))).toBe(false);
  });
});
