// The store's push path for control messages (docs/design.md, "Job protocol"): a cancel or a revoked lease reaches
// the runner's parked control poll at once, or waits for its next poll; cancel is idempotent.
import { afterEach, describe, expect, it } from 'vitest';
import { errorInfo } from '../../shared/errors/codes';
import { ControlMailboxes } from './control-mailboxes';
import { MemoryJobStore } from './memory-store';

const newJob = () => ({ tool: 'ping', params: { target: '10.0.0.1' }, target: '10.0.0.1', principal: 'p', timeoutSec: 5 });
const cancelled = errorInfo('CANCELLED', 'Cancelled by p.');

let store: MemoryJobStore;
afterEach(() => store.close());

async function running(runnerId = 'r1'): Promise<{ id: string; leaseId: string }> {
  await store.enqueue(newJob());
  const lease = await store.claim({ runnerId, tools: ['ping'], waitMs: 0 });
  if (!lease) throw new Error('no lease');
  return { id: lease.job.id, leaseId: lease.leaseId };
}

describe('waitControl', () => {
  it('wakes a parked poll at once with the cancel, naming job and lease', async () => {
    store = new MemoryJobStore({ leaseMs: 60_000, maxQueued: 10, maxRetained: 10 });
    const job = await running();
    const poll = store.waitControl('r1', 60_000);
    await store.cancel(job.id, cancelled);
    expect(await poll).toEqual([{ type: 'cancel', jobId: job.id, leaseId: job.leaseId }]);
  });

  it('keeps a cancel for the next poll, sends it once, and not again for a repeated cancel', async () => {
    store = new MemoryJobStore({ leaseMs: 60_000, maxQueued: 10, maxRetained: 10 });
    const job = await running();
    await store.cancel(job.id, cancelled);
    await store.cancel(job.id, cancelled);
    expect(await store.waitControl('r1', 0)).toEqual([{ type: 'cancel', jobId: job.id, leaseId: job.leaseId }]);
    expect(await store.waitControl('r1', 20)).toEqual([]);
    // The heartbeat reply still says so (the fallback).
    expect(await store.heartbeat(job.id, job.leaseId)).toMatchObject({ cancelRequested: true });
  });

  it('tells only the runner that holds the job', async () => {
    store = new MemoryJobStore({ leaseMs: 60_000, maxQueued: 10, maxRetained: 10 });
    const job = await running('r1');
    const other = store.waitControl('r2', 50);
    await store.cancel(job.id, cancelled);
    expect(await other).toEqual([]);
    expect(await store.waitControl('r1', 0)).toHaveLength(1);
  });

  it('sends lease-revoked when the API gives up on a running job', async () => {
    store = new MemoryJobStore({ leaseMs: 60_000, maxQueued: 10, maxRetained: 10 });
    const job = await running();
    await store.expire(job.id, errorInfo('TIMEOUT', 'too slow'));
    expect(await store.waitControl('r1', 0)).toEqual([{ type: 'lease-revoked', jobId: job.id, leaseId: job.leaseId }]);
  });

  it('drops an uncollected cancel once the runner has reported the job', async () => {
    store = new MemoryJobStore({ leaseMs: 60_000, maxQueued: 10, maxRetained: 10 });
    const job = await running();
    await store.cancel(job.id, cancelled);
    await store.complete(job.id, job.leaseId, { status: 'failed', error: cancelled, durationMs: 1 });
    expect(await store.waitControl('r1', 0)).toEqual([]);
  });

  it('answers a cancel after the end with the job as it ended, and a queued job needs no message', async () => {
    store = new MemoryJobStore({ leaseMs: 60_000, maxQueued: 10, maxRetained: 10 });
    const job = await running();
    await store.complete(job.id, job.leaseId, { status: 'succeeded', result: { x: 1 }, durationMs: 1 });
    expect(await store.cancel(job.id, cancelled)).toMatchObject({ status: 'succeeded' });
    const queued = await store.enqueue(newJob());
    expect(await store.cancel(queued.id, cancelled)).toMatchObject({ status: 'cancelled' });
    expect(await store.waitControl('r1', 0)).toEqual([]);
  });

  it('returns [] when the poll is aborted or times out', async () => {
    store = new MemoryJobStore({ leaseMs: 60_000, maxQueued: 10, maxRetained: 10 });
    const ac = new AbortController();
    const poll = store.waitControl('r1', 60_000, ac.signal);
    ac.abort();
    expect(await poll).toEqual([]);
    expect(await store.waitControl('r1', 10)).toEqual([]);
  });
});

describe('ControlMailboxes', () => {
  it('keeps at most MAX_PENDING messages per runner, dropping the oldest', async () => {
    const boxes = new ControlMailboxes();
    for (let i = 0; i < ControlMailboxes.MAX_PENDING + 5; i += 1) boxes.post('r', { type: 'cancel', jobId: `j${i}`, leaseId: 'l' });
    const got = await boxes.wait('r', 0);
    expect(got).toHaveLength(ControlMailboxes.MAX_PENDING);
    expect(got[0]?.jobId).toBe('j5');
  });

  it('wakes every poll parked under one runner id', async () => {
    const boxes = new ControlMailboxes();
    const a = boxes.wait('r', 60_000);
    const b = boxes.wait('r', 60_000);
    boxes.post('r', { type: 'cancel', jobId: 'j', leaseId: 'l' });
    expect(await a).toHaveLength(1);
    expect(await b).toHaveLength(1);
    boxes.drain();
  });
});
