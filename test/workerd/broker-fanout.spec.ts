// Two isolates on one Durable Object broker, inside workerd: each hears of the other's changes (jobs, runners, tool
// state, service events) with its next reply, marked `remote`, while its own are `local` (docs/design.md, "Workers").
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { createDurableBroker } from '../../functions/workers/durable-broker';
import type { WorkerBindings } from '../../functions/workers/runtime';

const namespace = (env as WorkerBindings).JOB_BROKER;
const newJob = { tool: 'ping', params: { target: '10.0.0.1' }, target: '10.0.0.1', principal: 'p', timeoutSec: 5 };

function twoIsolates() {
  if (!namespace) throw new Error('JOB_BROKER binding missing (wrangler.toml)');
  const id = namespace.idFromName(crypto.randomUUID());
  return [createDurableBroker(() => namespace.get(id)), createDurableBroker(() => namespace.get(id))] as const;
}

describe('the Durable Object broker seen from two isolates', () => {
  it('wakes a claim parked through one isolate with a job queued through the other, and both hear the events', async () => {
    const [a, b] = twoIsolates();
    const seenA: string[] = [];
    const seenB: string[] = [];
    a.jobs.subscribe((e) => seenA.push(`${e.type}:${e.origin}`));
    b.jobs.subscribe((e) => seenB.push(`${e.type}:${e.origin}`));
    const parked = a.jobs.claim({ runnerId: 'r1', tools: ['ping'], waitMs: 10_000 });
    // Parked in the object (the runner is listed from its claim) before the job is queued through the other isolate.
    while (!(await b.jobs.runners()).some((r) => r.runnerId === 'r1')) await new Promise((r) => setTimeout(r, 10));
    const job = await b.jobs.enqueue(newJob);
    expect((await parked)?.job.id).toBe(job.id);
    await a.jobs.runners();
    expect(seenB).toEqual(['queued:local', 'claimed:local']);
    expect(seenA).toContain('queued:remote');
  });

  it('shares tool state and rate buckets, and tells the other isolate of a tool change', async () => {
    const [a, b] = twoIsolates();
    expect(await a.toolState.init({ ping: true, nmap: true })).toEqual({ ping: true, nmap: true });
    const heard: string[] = [];
    b.toolState.subscribe((name, enabled) => heard.push(`${name}:${enabled}`));
    await b.toolState.init({ ping: true, nmap: true });
    expect(await a.toolState.set('nmap', false)).toBe(true);
    expect(await b.toolState.init({ ping: true, nmap: true })).toEqual({ ping: true, nmap: false });
    expect(heard).toEqual(['nmap:false']);
    expect((await a.rateBuckets.take('p:ping', 2, 60_000)).allowed).toBe(true);
    expect((await b.rateBuckets.take('p:ping', 2, 60_000)).allowed).toBe(true);
    expect((await a.rateBuckets.take('p:ping', 2, 60_000)).allowed).toBe(false);
  });

  it('keeps one service event log: ids increase across isolates, both subscribers get every event once', async () => {
    const [a, b] = twoIsolates();
    const gotA: number[] = [];
    const gotB: number[] = [];
    await b.serviceEvents.since(0);
    a.serviceEvents.subscribe((e) => gotA.push(e.id));
    b.serviceEvents.subscribe((e) => gotB.push(e.id));
    const first = await a.serviceEvents.publish('tools.list_changed', { tool: 'nmap' });
    const second = await b.serviceEvents.publish('job.queued', { jobId: 'j' });
    expect(second.id).toBe(first.id + 1);
    await a.serviceEvents.since(second.id);
    expect(gotA).toEqual([first.id, second.id]);
    expect(gotB).toEqual([first.id, second.id]);
    expect((await b.serviceEvents.since(first.id - 1)).events.map((e) => e.type)).toEqual(['tools.list_changed', 'job.queued']);
  });
});
