// The JobStore contract, runners: control push, job events, the runner roster (docs/design.md, "Job protocol").
import { describe, expect, it } from 'vitest';
import type { JobEvent, RunnerEvent } from '../../../functions/src/jobs/types';
import { type OpenStore, cancelled, newJob, ok, running, sleep } from './fixtures';

export function describeRunnerRules(open: OpenStore): void {
  describe('control push', () => {
    it('wakes a parked poll at once with the cancel, naming job and lease', async () => {
      const store = await open();
      const job = await running(store);
      const poll = store.waitControl('r1', 60_000);
      await sleep(20);
      await store.cancel(job.id, cancelled);
      expect(await poll).toEqual([{ type: 'cancel', jobId: job.id, leaseId: job.leaseId }]);
    });

    it('keeps a cancel for the next poll, sends it once, and not again for a repeated cancel', async () => {
      const store = await open();
      const job = await running(store);
      await store.cancel(job.id, cancelled);
      await store.cancel(job.id, cancelled);
      expect(await store.waitControl('r1', 0)).toEqual([{ type: 'cancel', jobId: job.id, leaseId: job.leaseId }]);
      expect(await store.waitControl('r1', 20)).toEqual([]);
      expect(await store.heartbeat(job.id, job.leaseId)).toMatchObject({ cancelRequested: true });
    });

    it('tells only the runner that holds the job', async () => {
      const store = await open();
      const job = await running(store, 'r1');
      const other = store.waitControl('r2', 50);
      await store.cancel(job.id, cancelled);
      expect(await other).toEqual([]);
      expect(await store.waitControl('r1', 0)).toHaveLength(1);
    });

    it('drops an uncollected cancel once the runner has reported the job', async () => {
      const store = await open();
      const job = await running(store);
      await store.cancel(job.id, cancelled);
      await store.complete(job.id, job.leaseId, { status: 'failed', error: cancelled, durationMs: 1 });
      expect(await store.waitControl('r1', 0)).toEqual([]);
    });

    it('answers a cancel after the end with the job as it ended, and a queued job needs no message', async () => {
      const store = await open();
      const job = await running(store);
      await store.complete(job.id, job.leaseId, ok);
      expect(await store.cancel(job.id, cancelled)).toMatchObject({ status: 'succeeded' });
      const queued = await store.enqueue(newJob());
      expect(await store.cancel(queued.id, cancelled)).toMatchObject({ status: 'cancelled' });
      expect(await store.cancel('no-such-job', cancelled)).toBeUndefined();
      expect(await store.waitControl('r1', 0)).toEqual([]);
    });

    it('returns [] when the poll is aborted or times out', async () => {
      const store = await open();
      const ac = new AbortController();
      const poll = store.waitControl('r1', 60_000, ac.signal);
      ac.abort();
      expect(await poll).toEqual([]);
      expect(await store.waitControl('r1', 10)).toEqual([]);
    });
  });

  describe('events', () => {
    it('reports each job transition to subscribers, in order', async () => {
      const store = await open();
      const seen: string[] = [];
      const off = store.subscribe((e: JobEvent) => seen.push(`${e.type}:${e.job.status}`));
      const job = await running(store);
      await store.heartbeat(job.id, job.leaseId, { progress: 1, total: 2 });
      await store.complete(job.id, job.leaseId, ok);
      await store.waitForEnd(job.id);
      await sleep(20);
      off();
      expect(seen).toEqual(['queued:queued', 'claimed:running', 'progress:running', 'succeeded:succeeded']);
    });
  });

  describe('runners', () => {
    it('registers, rejoins, lists and deregisters runners, with events', async () => {
      const store = await open();
      const events: string[] = [];
      store.subscribeRunners((e: RunnerEvent) => events.push(`${e.type}:${e.runner.runnerId}:${e.type === 'joined' ? e.rejoined : e.reason}`));
      expect(await store.register({ runnerId: 'a', tools: ['ping'], version: '1', capacity: 2 })).toEqual({ rejoined: false });
      expect(await store.register({ runnerId: 'a', tools: ['ping', 'dig'], version: '2' })).toEqual({ rejoined: true });
      await store.claim({ runnerId: 'b', tools: ['mtr'], waitMs: 0 });
      const listed = await store.runners();
      expect(listed.map((r) => [r.runnerId, r.tools, r.registered])).toEqual([
        ['a', ['ping', 'dig'], true],
        ['b', ['mtr'], false],
      ]);
      expect(listed[0]).toMatchObject({ version: '2' });
      expect(await store.deregister('a')).toBe(true);
      expect(await store.deregister('a')).toBe(false);
      await sleep(20);
      expect(events).toEqual(['joined:a:false', 'joined:a:true', 'joined:b:false', 'left:a:deregistered']);
    });

    it('keeps a runner parked in a claim connected, and drops one not heard from for a lease period', async () => {
      const store = await open({ leaseMs: 50 });
      const left: string[] = [];
      store.subscribeRunners((e) => e.type === 'left' && left.push(`${e.runner.runnerId}:${e.reason}`));
      await store.register({ runnerId: 'quiet', tools: ['ping'] });
      const parked = store.claim({ runnerId: 'parked', tools: ['ping'], waitMs: 300 });
      await sleep(150);
      expect((await store.runners()).map((r) => r.runnerId)).toEqual(['parked']);
      expect(await parked).toBeNull();
      await sleep(150);
      expect(await store.runners()).toEqual([]);
      expect(left.sort()).toEqual(['parked:not-seen', 'quiet:not-seen']);
    });
  });
}
