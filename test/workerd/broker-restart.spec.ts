// The Durable Object broker across a restart of the object (eviction, deploy): job records in SQLite, jobs taken up
// again (functions/workers/restore.ts) and the alarm that wakes an evicted object at a lease expiry. Inside workerd.
import { env } from 'cloudflare:workers';
import { runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { JobBroker } from '../../functions/workers/broker-object';
import type { Caller } from '../../functions/workers/broker-rpc';
import { DurableJobStore } from '../../functions/workers/durable-job-store';
import { JobArchive } from '../../functions/workers/job-archive';
import { IdSource, restoreJobs } from '../../functions/workers/restore';
import type { WorkerBindings } from '../../functions/workers/runtime';
import { MemoryJobStore } from '../../functions/src/jobs/memory-store';

const namespace = (env as WorkerBindings).JOB_BROKER;
const newJob = { tool: 'ping', params: { target: '10.0.0.1' }, target: '10.0.0.1', principal: 'p', timeoutSec: 5 };
const ok = { status: 'succeeded' as const, result: { x: 1 }, durationMs: 3 };
const caller: Caller = { isolate: 'test', cursor: undefined };

async function freshBroker(leaseMs = 60_000) {
  if (!namespace) throw new Error('JOB_BROKER binding missing (wrangler.toml)');
  const id = namespace.idFromName(crypto.randomUUID());
  const stub = namespace.get(id);
  const store = new DurableJobStore(() => namespace.get(id));
  await store.configure({ leaseMs, maxQueued: 10, maxRetained: 10 });
  return { stub, store };
}

async function value<T>(reply: Promise<{ result: { ok: true; value: T } | { ok: false } }>): Promise<T> {
  const r = (await reply).result;
  if (!r.ok) throw new Error('call failed');
  return r.value;
}

describe('the Durable Object broker after a restart', () => {
  it('keeps finished jobs readable, leases a running job back under its lease and queues a queued one again', async () => {
    const { stub, store } = await freshBroker();
    const done = await store.enqueue({ ...newJob, idempotencyKey: 'k1' });
    const doneLease = await store.claim({ runnerId: 'r1', tools: ['ping'], waitMs: 0 });
    await store.complete(done.id, doneLease?.leaseId ?? '', ok);
    const running = await store.enqueue(newJob);
    const lease = await store.claim({ runnerId: 'r1', tools: ['ping'], waitMs: 0 });
    const queued = await store.enqueue(newJob);

    await runInDurableObject(stub, async (_old: JobBroker, state) => {
      const restarted = new JobBroker(state, env as WorkerBindings);
      await restarted.restored;
      expect(await value(restarted.get(caller, done.id))).toMatchObject({ status: 'succeeded', result: { x: 1 } });
      expect(await value(restarted.findByKey(caller, 'p', 'k1'))).toMatchObject({ id: done.id });
      expect(await value(restarted.get(caller, running.id))).toMatchObject({ status: 'running', attempts: 1, runnerId: 'r1', leaseId: lease?.leaseId });
      // The runner goes on as if nothing happened: its heartbeat and report are accepted.
      expect((await restarted.heartbeat(caller, running.id, lease?.leaseId ?? '')).result.ok).toBe(true);
      expect(await value(restarted.complete(caller, running.id, lease?.leaseId ?? '', ok))).toMatchObject({ duplicate: false, job: { status: 'succeeded' } });
      const next = await value(restarted.claim(caller, { ticket: 't', runnerId: 'r2', tools: ['ping'], waitMs: 0 }));
      expect(next?.job).toMatchObject({ id: queued.id, attempts: 1, createdAt: queued.createdAt });
    });
  });

  it('handles a lease that ran out while the object was away as a lost lease: requeued once, then failed', async () => {
    const { stub, store } = await freshBroker();
    const first = await store.enqueue(newJob);
    await store.claim({ runnerId: 'r1', tools: ['ping'], waitMs: 0 });
    const later = Date.now() + 120_000;

    await runInDurableObject(stub, async (_old: JobBroker, state) => {
      const archive = new JobArchive(state.storage, 10);
      // As the object wires them: the store takes its ids from the restore's IdSource.
      const ids = new IdSource();
      const restarted = new MemoryJobStore({ leaseMs: 60_000, maxQueued: 10, maxRetained: 10, newId: ids.next });
      await restoreJobs(restarted, archive, ids, later);
      expect(archive.get(first.id)).toMatchObject({ status: 'queued', attempts: 1 });
      const again = await restarted.claim({ runnerId: 'r2', tools: ['ping'], waitMs: 0 });
      expect(again?.job).toMatchObject({ id: first.id, attempts: 2 });
      archive.save(again?.job ?? first);
      // Lost a second time: failed, as on Node (functions/src/jobs/lease.ts).
      const ids2 = new IdSource();
      const again2 = new MemoryJobStore({ leaseMs: 60_000, maxQueued: 10, maxRetained: 10, newId: ids2.next });
      await restoreJobs(again2, archive, ids2, later + 120_000);
      again2.close();
      expect(archive.get(first.id)).toMatchObject({ status: 'failed', error: { code: 'EXECUTION_ERROR' } });
      restarted.close();
    });
  });

  it('sets its alarm just after the earliest lease expiry, so an evicted object wakes to act on it', async () => {
    const { stub, store } = await freshBroker();
    await store.enqueue(newJob);
    const lease = await store.claim({ runnerId: 'r1', tools: ['ping'], waitMs: 0 });
    const alarm = await runInDurableObject(stub, (_o: JobBroker, state) => state.storage.getAlarm());
    expect(alarm).toBeGreaterThan(lease?.leaseExpiresAt ?? Infinity);
    expect(alarm).toBeLessThanOrEqual((lease?.leaseExpiresAt ?? 0) + 1000);
  });
});
