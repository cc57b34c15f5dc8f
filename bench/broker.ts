/**
 * Issue 10 (broker): the job store in memory against Redis (a real redis-server on loopback), in one run.
 * - dispatch latency: a runner parked in a long-poll claim, one job enqueued, until the claim resolves with it
 *   (in process, no HTTP); for Redis on one replica and across two (claim parked on A, job enqueued on B);
 * - throughput: 4 runners (in-process claim → complete loops, a no-op outcome) draining jobs enqueued by 8
 *   concurrent producers; jobs/s from the first enqueue to the last completion.
 * Targets: Redis dispatch ≤ 2 ms median and ≥ 1,000 jobs/s; memory unchanged (~0.007 ms). Figures only.
 */
import { createRedisBroker } from '../functions/node/broker/redis-broker';
import { MemoryJobStore } from '../functions/src/jobs/memory-store';
import type { JobStore } from '../functions/src/jobs/store';
import { startRedisServer, uniquePrefix } from '../test/helpers/redis-server';
import { ms, summarize } from './stats';

const SAMPLES = Number(process.env['BENCH_BROKER_DISPATCH'] ?? 2000);
const JOBS = Number(process.env['BENCH_BROKER_JOBS'] ?? 2000);
const RUNNERS = 4;
const PRODUCERS = 8;
const WARMUP = 200;
const ROUNDS = 3;
const LEASE_MS = 60_000;

// A never-run job: the store does not look at the target (nothing is sent anywhere).
const job = { tool: 'noop', params: {}, target: '127.0.0.1', principal: 'bench', timeoutSec: 5 };
const ok = { status: 'succeeded' as const, result: {}, durationMs: 0 };
const sleep = (msec: number): Promise<void> => new Promise((r) => setTimeout(r, msec));

interface Pair {
  /** Where the job is enqueued. */
  producer: JobStore;
  /** Where the runners claim. */
  claimer: JobStore;
  close(): Promise<void>;
}

/** enqueue → parked claim resolved. `parked` waits until the claim is parked (Redis: its first try has answered). */
async function dispatch(pair: Pair, parked: () => Promise<void>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < SAMPLES + WARMUP; i += 1) {
    const claim = pair.claimer.claim({ runnerId: 'bench-runner', tools: ['noop'], waitMs: 10_000 });
    await parked();
    const t0 = performance.now();
    await pair.producer.enqueue(job);
    const lease = await claim;
    const t1 = performance.now();
    if (!lease) throw new Error('claim returned nothing');
    if (i >= WARMUP) times.push(t1 - t0);
    await pair.claimer.complete(lease.job.id, lease.leaseId, ok);
  }
  return times;
}

/** JOBS jobs through RUNNERS claim → complete loops; jobs per second. */
async function throughput(pair: Pair): Promise<number> {
  let completed = 0;
  let stop = false;
  const runner = async (n: number): Promise<void> => {
    while (!stop) {
      const lease = await pair.claimer.claim({ runnerId: `bench-runner-${n}`, tools: ['noop'], waitMs: 200 });
      if (!lease) continue;
      await pair.claimer.complete(lease.job.id, lease.leaseId, ok);
      completed += 1;
    }
  };
  const runners = Array.from({ length: RUNNERS }, (_, n) => runner(n));
  await sleep(50);
  const t0 = performance.now();
  let next = 0;
  const producer = async (): Promise<void> => {
    while (next < JOBS) {
      next += 1;
      await pair.producer.enqueue(job);
    }
  };
  await Promise.all(Array.from({ length: PRODUCERS }, producer));
  while (completed < JOBS) await sleep(1);
  const seconds = (performance.now() - t0) / 1000;
  stop = true;
  await Promise.all(runners);
  return JOBS / seconds;
}

function memoryPair(): Pair {
  const store = new MemoryJobStore({ leaseMs: LEASE_MS, maxQueued: JOBS + 10, maxRetained: 100 });
  return { producer: store, claimer: store, close: async () => store.close() };
}

async function redisPair(url: string, replicas: 1 | 2): Promise<Pair> {
  const settings = { redisUrl: url, redisPrefix: uniquePrefix('bench'), leaseMs: LEASE_MS, maxQueuedJobs: JOBS + 10, jobRetentionMs: 0 };
  const a = createRedisBroker(settings, { maxRetained: 100 });
  const b = replicas === 2 ? createRedisBroker(settings, { maxRetained: 100 }) : a;
  for (const broker of new Set([a, b])) if (!(await broker.ready(5000))) throw new Error(`Redis at ${url} not ready`);
  return { producer: b.jobs, claimer: a.jobs, close: async () => void (await Promise.all([...new Set([a, b])].map((x) => x.close()))) };
}

const line = (name: string, times: number[]): string => {
  const s = summarize(times);
  return `  ${name.padEnd(44)} median ${ms(s.median).padStart(10)}   p95 ${ms(s.p95).padStart(10)}   (n=${s.n})\n`;
};

export async function benchBroker(): Promise<void> {
  const redis = await startRedisServer();
  try {
    const kinds: Array<[string, () => Promise<Pair>, () => Promise<void>]> = [
      ['memory', async () => memoryPair(), () => new Promise((r) => setImmediate(r))],
      // A loopback round trip is ~0.1 ms; 3 ms leaves the claim's first try answered and the claim parked.
      ['Redis, one replica', () => redisPair(redis.url, 1), () => sleep(3)],
      ['Redis, two replicas (claim on A, job on B)', () => redisPair(redis.url, 2), () => sleep(3)],
    ];
    process.stdout.write(
      `\nbroker: dispatch latency, enqueue → parked claim resolved (in process; Redis ${redis.url}; targets: Redis ≤ 2 ms median, memory ~0.007 ms)\n`,
    );
    const rates: Array<[string, number[]]> = [];
    for (const [name, make, parked] of kinds) {
      const pair = await make();
      try {
        process.stdout.write(line(name, await dispatch(pair, parked)));
        const round: number[] = [];
        for (let r = 0; r < ROUNDS; r += 1) round.push(await throughput(pair));
        rates.push([name, round]);
      } finally {
        await pair.close();
      }
    }
    process.stdout.write(
      `\nbroker: throughput, ${JOBS} jobs, ${RUNNERS} runners claim → complete (no-op), ${PRODUCERS} producers, median of ${ROUNDS} rounds (target: Redis ≥ 1,000 jobs/s)\n`,
    );
    for (const [name, round] of rates) {
      const each = round.map((r) => r.toFixed(0)).join(', ');
      process.stdout.write(`  ${name.padEnd(44)} ${summarize(round).median.toFixed(0).padStart(8)} jobs/s   rounds ${each}\n`);
    }
  } finally {
    await redis.remove();
  }
}
