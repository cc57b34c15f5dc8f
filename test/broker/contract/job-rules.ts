// The JobStore contract, jobs: dispatch, completion, leases, ending and retention (docs/design.md, "Job protocol").
import { describe, expect, it } from 'vitest';
import { type OpenStore, cancelled, info, newJob, ok, running, sleep } from './fixtures';

export function describeJobRules(open: OpenStore): void {
  describe('dispatch', () => {
    it('hands a new job at once to a runner already waiting', async () => {
      const store = await open();
      const claim = store.claim({ runnerId: 'r1', tools: ['ping'], waitMs: 5000 });
      const job = await store.enqueue(newJob());
      expect(job).toMatchObject({ tool: 'ping', principal: 'p', params: { target: '10.0.0.1' } });
      const lease = await claim;
      expect(lease?.job.id).toBe(job.id);
      expect(lease?.heartbeatIntervalMs).toBeGreaterThan(0);
      expect(await store.get(job.id)).toMatchObject({ status: 'running', attempts: 1, runnerId: 'r1', leaseId: lease?.leaseId });
    });

    it('routes jobs only to runners that advertise the tool, oldest job first', async () => {
      const store = await open();
      const pingOnly = store.claim({ runnerId: 'r1', tools: ['ping'], waitMs: 200 });
      const withNmap = store.claim({ runnerId: 'r2', tools: ['ping', 'nmap'], waitMs: 5000 });
      const job = await store.enqueue(newJob('nmap'));
      expect((await withNmap)?.job.id).toBe(job.id);
      expect(await pingOnly).toBeNull();
      const first = await store.enqueue(newJob('dig'));
      await store.enqueue(newJob('ping'));
      expect((await store.claim({ runnerId: 'r3', tools: ['ping', 'dig'], waitMs: 0 }))?.job.id).toBe(first.id);
    });

    it('returns null after waitMs when nothing arrives, and when the claim is aborted', async () => {
      const store = await open();
      expect(await store.claim({ runnerId: 'r1', tools: ['ping'], waitMs: 20 })).toBeNull();
      const ac = new AbortController();
      const pending = store.claim({ runnerId: 'r1', tools: ['ping'], waitMs: 10_000, signal: ac.signal });
      await sleep(20);
      ac.abort();
      expect(await pending).toBeNull();
      // The aborted claim must not swallow the next job.
      await store.enqueue(newJob());
      await sleep(20);
      expect(await store.list({ status: 'queued' })).toHaveLength(1);
    });

    it('refuses with RESOURCE_EXHAUSTED when the queue is full', async () => {
      const store = await open({ maxQueued: 2 });
      await store.enqueue(newJob());
      await store.enqueue(newJob());
      await expect(store.enqueue(newJob())).rejects.toMatchObject({ status: 503, info: { code: 'RESOURCE_EXHAUSTED' } });
    });

    it('lists by status and tool', async () => {
      const store = await open();
      const a = await store.enqueue(newJob('ping'));
      const b = await store.enqueue(newJob('dig'));
      await store.claim({ runnerId: 'r1', tools: ['ping'], waitMs: 0 });
      expect((await store.list({ status: 'queued' })).map((j) => j.id)).toEqual([b.id]);
      expect((await store.list({ status: 'running' })).map((j) => j.id)).toEqual([a.id]);
      expect((await store.list({ tool: 'dig' })).map((j) => j.id)).toEqual([b.id]);
      expect((await store.list()).map((j) => j.id)).toEqual([a.id, b.id]);
    });
  });

  describe('completion', () => {
    it('is idempotent for the same lease and 409 for another', async () => {
      const store = await open();
      const job = await store.enqueue(newJob());
      const lease = await store.claim({ runnerId: 'r1', tools: ['ping'], waitMs: 0 });
      expect(lease).not.toBeNull();
      const first = await store.complete(job.id, lease?.leaseId ?? '', { ...ok, resolvedAddress: '10.0.0.1' });
      const again = await store.complete(job.id, lease?.leaseId ?? '', ok);
      expect([first.duplicate, again.duplicate]).toEqual([false, true]);
      expect(first.job).toMatchObject({ status: 'succeeded', result: { x: 1 }, durationMs: 3, resolvedAddress: '10.0.0.1' });
      await expect(store.complete(job.id, 'other-lease', ok)).rejects.toMatchObject({ status: 409, info: { code: 'LEASE_CONFLICT' } });
      await expect(store.complete('no-such-job', 'l', ok)).rejects.toMatchObject({ status: 404 });
      expect(await store.waitForEnd(job.id)).toMatchObject({ status: 'succeeded', result: { x: 1 } });
    });

    it('marks a CANCELLED outcome as cancelled, keeping a partial result', async () => {
      const store = await open();
      const job = await running(store);
      await store.cancel(job.id, cancelled);
      expect((await store.heartbeat(job.id, job.leaseId)).cancelRequested).toBe(true);
      await store.complete(job.id, job.leaseId, { status: 'failed', error: info('CANCELLED', 'killed'), result: { partial: [] }, durationMs: 1 });
      expect(await store.get(job.id)).toMatchObject({ status: 'cancelled', result: { partial: [] } });
    });

    it('waitForEnd rejects NOT_FOUND for an unknown job and with the reason when aborted', async () => {
      const store = await open();
      await expect(store.waitForEnd('no-such-job')).rejects.toMatchObject({ status: 404 });
      const job = await store.enqueue(newJob());
      const ac = new AbortController();
      const waiting = store.waitForEnd(job.id, ac.signal);
      ac.abort(new Error('gone'));
      await expect(waiting).rejects.toThrow('gone');
    });
  });

  describe('leases', () => {
    it('requeues a job whose lease expires once, then fails it', async () => {
      const store = await open({ leaseMs: 30 });
      const job = await store.enqueue(newJob());
      const first = await store.claim({ runnerId: 'r1', tools: ['ping'], waitMs: 0 });
      const second = await store.claim({ runnerId: 'r2', tools: ['ping'], waitMs: 5000 });
      expect(second?.job.id).toBe(job.id);
      expect(second?.leaseId).not.toBe(first?.leaseId);
      // The first runner's late report is refused: the job belongs to the second lease now.
      await expect(store.complete(job.id, first?.leaseId ?? '', ok)).rejects.toMatchObject({ status: 409 });
      const ended = await store.waitForEnd(job.id);
      expect(ended).toMatchObject({ status: 'failed', attempts: 2, error: { code: 'EXECUTION_ERROR' } });
      await expect(store.complete(job.id, second?.leaseId ?? '', ok)).rejects.toMatchObject({ status: 409 });
    });

    it('keeps a lease alive while heartbeats arrive, recording progress', async () => {
      const store = await open({ leaseMs: 150 });
      const job = await running(store);
      for (let i = 0; i < 5; i += 1) {
        await sleep(50);
        await store.heartbeat(job.id, job.leaseId, { progress: i });
      }
      expect(await store.get(job.id)).toMatchObject({ status: 'running', attempts: 1, progress: { progress: 4 } });
      await expect(store.heartbeat(job.id, 'other-lease')).rejects.toMatchObject({ status: 409 });
    });

    it('ends a cancel-requested job as cancelled when its lease runs out', async () => {
      const store = await open({ leaseMs: 30 });
      const job = await running(store);
      await store.cancel(job.id, cancelled);
      expect(await store.waitForEnd(job.id)).toMatchObject({ status: 'cancelled', error: { code: 'CANCELLED' } });
    });
  });

  describe('ending jobs', () => {
    it('failIfQueued ends a job nobody claimed and leaves a claimed one alone', async () => {
      const store = await open();
      const a = await store.enqueue(newJob());
      expect(await store.failIfQueued(a.id, info('NO_RUNNER', 'none'))).toBe(true);
      expect(await store.get(a.id)).toMatchObject({ status: 'failed', error: { code: 'NO_RUNNER' } });
      const b = await store.enqueue(newJob());
      await store.claim({ runnerId: 'r1', tools: ['ping'], waitMs: 0 });
      expect(await store.failIfQueued(b.id, info('NO_RUNNER', 'none'))).toBe(false);
    });

    it('expire fails a running job, drops its lease and tells its runner', async () => {
      const store = await open();
      const job = await running(store);
      expect(await store.expire(job.id, info('TIMEOUT', 'too slow'))).toMatchObject({ status: 'failed', error: { code: 'TIMEOUT' } });
      expect(await store.waitControl('r1', 0)).toEqual([{ type: 'lease-revoked', jobId: job.id, leaseId: job.leaseId }]);
      await expect(store.heartbeat(job.id, job.leaseId)).rejects.toMatchObject({ status: 409 });
      expect(await store.expire('no-such-job', info('TIMEOUT', 'x'))).toBeUndefined();
    });

    it('keeps at most maxRetained ended jobs, dropping the oldest with their idempotency keys', async () => {
      const store = await open({ maxRetained: 2 });
      const first = await store.enqueue(newJob('ping', { idempotencyKey: 'k1' }));
      expect((await store.findByKey('p', 'k1'))?.id).toBe(first.id);
      expect(await store.findByKey('someone-else', 'k1')).toBeUndefined();
      const ids = [first.id];
      for (let i = 0; i < 2; i += 1) ids.push((await store.enqueue(newJob())).id);
      for (const id of ids) await store.failIfQueued(id, info('NO_RUNNER', 'none'));
      expect(await store.get(ids[0] ?? '')).toBeUndefined();
      expect(await store.findByKey('p', 'k1')).toBeUndefined();
      expect((await store.list()).map((j) => j.id)).toEqual(ids.slice(1));
    });
  });
}
