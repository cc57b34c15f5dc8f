// ServiceEventLog contract (functions/src/events/service-event-log.ts) against memory and a real redis-server: ids,
// replay after Last-Event-ID with gap detection, and for Redis two replicas that both see every event once, with one
// id sequence, and a reader that comes back after Redis restarts.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RedisServiceEventLog } from '../../functions/node/broker/redis-service-event-log';
import { MemoryServiceEventLog, type ServiceEvent, type ServiceEventLog } from '../../functions/src/events/service-event-log';
import { startRedisServer } from '../helpers/redis-server';
import { readyConnections, redisFixture, waitReady } from './shared-state-fixture';

const redis = redisFixture();
beforeAll(() => redis.start());
afterAll(() => redis.stop());

let logs: ServiceEventLog[] = [];
afterEach(async () => {
  await Promise.all(logs.map((l) => l.close()));
  logs = [];
  await redis.closeConnections();
});

type Make = (capacity: number) => Promise<[ServiceEventLog, ServiceEventLog]>;
const implementations: Array<[string, Make]> = [
  [
    'memory',
    async (capacity) => {
      const log = new MemoryServiceEventLog(capacity);
      logs.push(log);
      return [log, log];
    },
  ],
  [
    'redis',
    async (capacity) => {
      const prefix = redis.prefix('ev');
      const pair: [ServiceEventLog, ServiceEventLog] = [
        new RedisServiceEventLog(await redis.connect(), { prefix, capacity }),
        new RedisServiceEventLog(await redis.connect(), { prefix, capacity }),
      ];
      logs.push(...pair);
      return pair;
    },
  ],
];

/** Collect what a subscriber receives; `until(n)` resolves once n events arrived. */
function collect(log: ServiceEventLog) {
  const seen: ServiceEvent[] = [];
  let waiting: { n: number; resolve: () => void } | undefined;
  log.subscribe((e) => {
    seen.push(e);
    if (waiting && seen.length >= waiting.n) waiting.resolve();
  });
  return {
    seen,
    until: (n: number): Promise<ServiceEvent[]> =>
      seen.length >= n ? Promise.resolve(seen) : new Promise<ServiceEvent[]>((resolve) => (waiting = { n, resolve: () => resolve(seen) })),
  };
}

/** Let a Redis reader reach its blocking read before the first publish (it starts at the stream's end). */
const settle = async (log: ServiceEventLog): Promise<void> => {
  const probe = collect(log);
  await log.publish('probe', {});
  await probe.until(1);
};

describe.each(implementations)('ServiceEventLog contract: %s', (_name, make) => {
  it('gives increasing numeric ids and returns what it stored', async () => {
    const [log] = await make(100);
    const a = await log.publish('job.queued', { jobId: 'j1' });
    const b = await log.publish('job.claimed', { jobId: 'j1', runnerId: 'r1' });
    expect(Number.isInteger(a.id) && a.id > 0).toBe(true);
    expect(b.id).toBe(a.id + 1);
    expect(b).toMatchObject({ type: 'job.claimed', data: { jobId: 'j1', runnerId: 'r1' } });
    expect(Number.isNaN(Date.parse(b.time))).toBe(false);
  });

  it('replays what came after Last-Event-ID, without a gap while everything is held', async () => {
    const [log] = await make(100);
    const first = await log.publish('a', { n: 1 });
    await log.publish('b', { n: 2 });
    await log.publish('c', { n: 3 });
    const { events, gap } = await log.since(first.id);
    expect(gap).toBe(false);
    expect(events.map((e) => [e.type, e.data])).toEqual([
      ['b', { n: 2 }],
      ['c', { n: 3 }],
    ]);
  });

  it('says gap when the log no longer holds the events after Last-Event-ID', async () => {
    const [log] = await make(3);
    const first = await log.publish('e', { n: 0 });
    for (let n = 1; n < 400; n += 1) await log.publish('e', { n });
    const { events, gap } = await log.since(first.id);
    expect(gap).toBe(true);
    expect(events.length).toBeGreaterThanOrEqual(3);
    expect(events.at(-1)?.data).toEqual({ n: 399 });
  });

  it('delivers every event to the subscribers of both replicas, once, in id order, with the same ids', async () => {
    const [one, two] = await make(100);
    await settle(one);
    await settle(two);
    const onOne = collect(one);
    const onTwo = collect(two);
    const published = [await one.publish('x', { from: 1 }), await two.publish('x', { from: 2 }), await one.publish('x', { from: 1 })];
    const ids = published.map((e) => e.id);
    expect(new Set(ids).size).toBe(3);
    expect([...ids].sort((p, q) => p - q)).toEqual(ids);
    await onOne.until(3);
    await onTwo.until(3);
    for (const seen of [onOne.seen, onTwo.seen]) expect(seen.map((e) => [e.id, e.data['from']])).toEqual(published.map((e) => [e.id, e.data['from']]));
  });

  it('replays on replica two what was published on replica one (Last-Event-ID across replicas)', async () => {
    const [one, two] = await make(100);
    const first = await one.publish('a', {});
    const second = await one.publish('b', {});
    expect((await two.since(first.id)).events.map((e) => e.id)).toEqual([second.id]);
  });

  it('stops delivering to an unsubscribed listener', async () => {
    const [log] = await make(100);
    await settle(log);
    const kept = collect(log);
    const dropped: ServiceEvent[] = [];
    const off = log.subscribe((e) => dropped.push(e));
    await log.publish('one', {});
    await kept.until(1);
    off();
    await log.publish('two', {});
    await kept.until(2);
    expect(dropped.map((e) => e.type)).toEqual(['one']);
  });
});

describe('RedisServiceEventLog across a Redis restart', () => {
  it('keeps delivering once Redis is back, and publish fails fast while it is down', async () => {
    const own = await startRedisServer();
    const a = await readyConnections(own.url);
    try {
      const log = new RedisServiceEventLog(a.command, { prefix: redis.prefix('ev-restart') });
      logs.push(log);
      await settle(log);
      const seen = collect(log);
      await own.stop();
      await expect(log.publish('lost', {})).rejects.toThrow();
      await own.start();
      await waitReady(a.command);
      const after = await log.publish('after', { n: 1 });
      // Redis came back empty (no persistence): ids start again, and the reader follows the new stream.
      expect(after.id).toBe(1);
      await seen.until(1);
      expect(seen.seen.map((e) => [e.id, e.type])).toEqual([[1, 'after']]);
    } finally {
      await a.close();
      await own.remove();
    }
  });
});
