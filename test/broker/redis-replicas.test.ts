// The Redis job store as several API replicas see it: two stores on one real redis-server (loopback) are two
// replicas. Claims are atomic across them, wake-ups cross them, state outlives a store, and Redis going away is a
// fast UNAVAILABLE (503) followed by recovery on its own (docs/design.md, "Broker").
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type RedisBroker, createRedisBroker } from '../../functions/node/broker/redis-broker';
import type { JobEvent, Lease } from '../../functions/src/jobs/types';
import { type RedisServer, startRedisServer } from '../helpers/redis-server';

const newJob = (tool = 'ping', idempotencyKey?: string) => ({ tool, params: {}, target: '10.0.0.1', principal: 'p', timeoutSec: 5, idempotencyKey });
const ok = { status: 'succeeded' as const, result: { x: 1 }, durationMs: 3 };
const cancelled = { code: 'CANCELLED' as const, message: 'stop', recoverySuggestion: '-' };
/** No safety sweep within any test: whatever happens, happens through wake-ups and lease timers. */
const NO_SAFETY_SWEEP = 10 * 60_000;

let server: RedisServer;
let prefixes = 0;
let opened: RedisBroker[] = [];
beforeAll(async () => {
  server = await startRedisServer();
});
afterAll(async () => {
  await server.remove();
});
afterEach(async () => {
  await Promise.all(opened.map((b) => b.close()));
  opened = [];
});

async function replica(prefix: string, leaseMs = 60_000): Promise<RedisBroker> {
  const broker = createRedisBroker(
    { redisUrl: server.url, redisPrefix: prefix, leaseMs, maxQueuedJobs: 1000, jobRetentionMs: 0 },
    { sweepMs: NO_SAFETY_SWEEP },
  );
  opened.push(broker);
  expect(await broker.ready(5000)).toBe(true);
  return broker;
}

async function twoReplicas(leaseMs?: number): Promise<[RedisBroker, RedisBroker]> {
  prefixes += 1;
  return [await replica(`replicas${prefixes}:`, leaseMs), await replica(`replicas${prefixes}:`, leaseMs)];
}

describe('two replicas on one Redis', () => {
  it('never hands a job out twice: 200 jobs, 4 claimers racing through 2 replicas', async () => {
    const [a, b] = await twoReplicas();
    const ids = new Set<string>();
    for (let i = 0; i < 200; i += 1) ids.add((await (i % 2 ? a : b).jobs.enqueue(newJob())).id);
    const claimed: string[] = [];
    const claimer = async (store: RedisBroker, runnerId: string): Promise<void> => {
      for (;;) {
        const lease = await store.jobs.claim({ runnerId, tools: ['ping'], waitMs: 0 });
        if (!lease) return;
        claimed.push(lease.job.id);
        await store.jobs.complete(lease.job.id, lease.leaseId, ok);
      }
    };
    await Promise.all([claimer(a, 'r1'), claimer(a, 'r2'), claimer(b, 'r3'), claimer(b, 'r4')]);
    expect(claimed).toHaveLength(200);
    expect(new Set(claimed)).toEqual(ids);
    expect((await a.jobs.list({ status: 'succeeded' })).map((j) => j.attempts)).toEqual(Array(200).fill(1));
  });

  it('wakes a claim parked on A when B queues a job (no polling: the safety sweep is off)', async () => {
    const [a, b] = await twoReplicas();
    const onA = a.jobs.claim({ runnerId: 'r1', tools: ['ping'], waitMs: 60_000 });
    // The claim is parked (its runner is connected through it) before the job exists.
    await expect.poll(async () => (await b.jobs.runners()).length).toBe(1);
    const job = await b.jobs.enqueue(newJob());
    expect(await onA).toMatchObject({ job: { id: job.id, runnerId: 'r1' } });
  });

  it('gives one job to exactly one of two claims parked on two replicas', async () => {
    const [a, b] = await twoReplicas();
    const stop = new AbortController();
    const claims = [a, b].map((r, i) => r.jobs.claim({ runnerId: `r${i}`, tools: ['ping'], waitMs: 60_000, signal: stop.signal }));
    await expect.poll(async () => (await b.jobs.runners()).length).toBe(2);
    const job = await a.jobs.enqueue(newJob());
    expect((await Promise.race(claims))?.job.id).toBe(job.id);
    stop.abort();
    const leases = (await Promise.all(claims)).filter((l): l is Lease => l !== null);
    expect(leases.map((l) => l.job.id)).toEqual([job.id]);
    expect(await a.jobs.get(job.id)).toMatchObject({ status: 'running', attempts: 1 });
  });

  it('requeues a job once when the replica that leased it goes away, swept by the other', async () => {
    const [a, b] = await twoReplicas(200);
    const job = await a.jobs.enqueue(newJob());
    const first = await a.jobs.claim({ runnerId: 'r1', tools: ['ping'], waitMs: 0 });
    expect(first?.job.id).toBe(job.id);
    await a.close();
    const second = await b.jobs.claim({ runnerId: 'r2', tools: ['ping'], waitMs: 30_000 });
    expect(second).toMatchObject({ job: { id: job.id, attempts: 2, runnerId: 'r2' } });
    expect(await b.jobs.waitForEnd(job.id)).toMatchObject({ status: 'failed', attempts: 2, error: { code: 'EXECUTION_ERROR' } });
  });

  it('delivers a cancel posted through B to the control poll parked on A, and ends waitForEnd on A', async () => {
    const [a, b] = await twoReplicas();
    await a.jobs.enqueue(newJob());
    const lease = await a.jobs.claim({ runnerId: 'r1', tools: ['ping'], waitMs: 0 });
    if (!lease) throw new Error('no lease');
    const poll = a.jobs.waitControl('r1', 60_000);
    const ended = a.jobs.waitForEnd(lease.job.id);
    await expect.poll(() => server && b.connections.command.zcard(`replicas${prefixes}:ctlpark:r1`)).toBe(1);
    await b.jobs.cancel(lease.job.id, cancelled);
    expect(await poll).toEqual([{ type: 'cancel', jobId: lease.job.id, leaseId: lease.leaseId }]);
    await b.jobs.complete(lease.job.id, lease.leaseId, { status: 'failed', error: cancelled, durationMs: 1 });
    expect(await ended).toMatchObject({ status: 'cancelled' });
  });

  it('shares the roster and every event, marking the other replica’s as remote', async () => {
    const [a, b] = await twoReplicas();
    const onB: string[] = [];
    b.jobs.subscribe((e: JobEvent) => onB.push(`${e.type}:${e.origin}`));
    b.jobs.subscribeRunners((e) => onB.push(`runner.${e.type}:${e.origin}`));
    await a.jobs.register({ runnerId: 'r1', tools: ['ping'] });
    expect((await b.jobs.runners()).map((r) => r.runnerId)).toEqual(['r1']);
    const job = await a.jobs.enqueue(newJob());
    const lease = await b.jobs.claim({ runnerId: 'r1', tools: ['ping'], waitMs: 0 });
    await a.jobs.complete(job.id, lease?.leaseId ?? '', ok);
    await b.jobs.waitForEnd(job.id);
    expect(onB).toEqual(['runner.joined:remote', 'queued:remote', 'claimed:local', 'succeeded:remote']);
  });
});

describe('durability and failure', () => {
  it('keeps jobs and idempotency keys when every store is closed and a new one opens', async () => {
    prefixes += 1;
    const prefix = `durable${prefixes}:`;
    const first = await replica(prefix);
    const job = await first.jobs.enqueue(newJob('ping', 'key-1'));
    const done = await first.jobs.enqueue(newJob());
    const lease = await first.jobs.claim({ runnerId: 'r1', tools: ['ping'], waitMs: 0 });
    await first.jobs.complete(done.id === lease?.job.id ? done.id : job.id, lease?.leaseId ?? '', ok);
    await first.close();
    const later = await replica(prefix);
    expect((await later.jobs.findByKey('p', 'key-1'))?.id).toBe(job.id);
    expect((await later.jobs.list()).map((j) => [j.id, j.status])).toEqual([
      [job.id, 'succeeded'],
      [done.id, 'queued'],
    ]);
  });

  it('subscribes once Redis is reachable when it started while Redis was down, so wake-ups reach it', async () => {
    const own = await startRedisServer();
    try {
      await own.stop();
      const settings = { redisUrl: own.url, redisPrefix: 'late:', leaseMs: 60_000, maxQueuedJobs: 10, jobRetentionMs: 0 };
      const early = createRedisBroker(settings, { sweepMs: NO_SAFETY_SWEEP });
      opened.push(early);
      expect(await early.ready(300)).toBe(false);
      await own.start();
      expect(await early.ready(10_000)).toBe(true);
      const other = createRedisBroker(settings, { sweepMs: NO_SAFETY_SWEEP });
      opened.push(other);
      expect(await other.ready(5000)).toBe(true);
      const parked = early.jobs.claim({ runnerId: 'r1', tools: ['ping'], waitMs: 60_000 });
      await expect.poll(async () => (await other.jobs.runners()).length).toBe(1);
      const job = await other.jobs.enqueue(newJob());
      expect((await parked)?.job.id).toBe(job.id);
    } finally {
      await own.remove();
    }
  });

  it('drops ended jobs older than the retention age (JOB_RETENTION_SEC), with their idempotency keys', async () => {
    prefixes += 1;
    const broker = createRedisBroker({ redisUrl: server.url, redisPrefix: `aged${prefixes}:`, leaseMs: 60_000, maxQueuedJobs: 10, jobRetentionMs: 100 });
    opened.push(broker);
    expect(await broker.ready(5000)).toBe(true);
    const noRunner = { code: 'NO_RUNNER' as const, message: 'none', recoverySuggestion: '-' };
    const old = await broker.jobs.enqueue(newJob('ping', 'old-key'));
    await broker.jobs.failIfQueued(old.id, noRunner);
    const waiting = await broker.jobs.enqueue(newJob());
    await new Promise((r) => setTimeout(r, 300));
    const young = await broker.jobs.enqueue(newJob());
    await broker.jobs.failIfQueued(young.id, noRunner);
    expect(await broker.jobs.get(old.id)).toBeUndefined();
    expect(await broker.jobs.findByKey('p', 'old-key')).toBeUndefined();
    // Only ended jobs age out: the queued one stays, however old.
    expect((await broker.jobs.list()).map((j) => j.id)).toEqual([waiting.id, young.id]);
  });

  it('fails fast with UNAVAILABLE while Redis is down, says why in health, and recovers by itself', async () => {
    const own = await startRedisServer({ persist: true });
    try {
      const broker = createRedisBroker({ redisUrl: own.url, redisPrefix: 'down:', leaseMs: 60_000, maxQueuedJobs: 10, jobRetentionMs: 0 });
      opened.push(broker);
      expect(await broker.ready(5000)).toBe(true);
      const job = await broker.jobs.enqueue(newJob());
      await own.stop();
      await expect.poll(async () => (await broker.health()).ok).toBe(false);
      // For a moment after the socket closes the client still reports 'ready' and health says only that PING failed
      // ("Stream isn't writeable"); once the client has noticed, health names its connection state.
      await expect.poll(async () => (await broker.health()).detail).toMatch(/Redis at redis:\/\/127\.0\.0\.1:\d+\/? is (connecting|reconnecting|close|end)/);
      await expect(broker.jobs.get(job.id)).rejects.toMatchObject({ status: 503, info: { code: 'UNAVAILABLE' } });
      await expect(broker.jobs.claim({ runnerId: 'r1', tools: ['ping'], waitMs: 10_000 })).rejects.toMatchObject({ status: 503 });
      await own.start();
      expect(await broker.ready(10_000)).toBe(true);
      expect(await broker.health()).toMatchObject({ ok: true });
      // The job written before the outage is still there (persistence on), and a parked claim gets it.
      const lease = await broker.jobs.claim({ runnerId: 'r1', tools: ['ping'], waitMs: 10_000 });
      expect(lease?.job.id).toBe(job.id);
    } finally {
      await own.remove();
    }
  });
});
