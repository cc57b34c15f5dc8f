import { afterEach, describe, expect, it } from 'vitest';
import type { ServiceEvent } from '../../functions/src/events/service-event-log';
import { MemoryJobStore } from '../../functions/src/jobs/memory-store';
import type { RunnerEvent } from '../../functions/src/jobs/types';
import { TOKENS, makeTestApp } from '../helpers/app';

// POST /runner/register and /runner/deregister through app.request, and the runner.joined / runner.left events.
type TestApp = ReturnType<typeof makeTestApp>;
let t: TestApp;
afterEach(() => t.jobs.close());

const announce = { runnerId: 'r1', version: '1.2.3', tools: ['ping', 'nmap'], privileged: true, capacity: 2 };

function recordRunnerEvents(app: TestApp): ServiceEvent[] {
  const seen: ServiceEvent[] = [];
  app.deps.events.subscribe((e) => {
    if (e.type.startsWith('runner.')) seen.push(e);
  });
  return seen;
}

const nextEvent = (app: TestApp, type: string): Promise<ServiceEvent> =>
  new Promise((resolve) => {
    const off = app.deps.events.subscribe((e) => {
      if (e.type !== type) return;
      off();
      resolve(e);
    });
  });

describe('POST /runner/register', () => {
  it('records what the runner announced and publishes runner.joined', async () => {
    t = makeTestApp();
    const events = recordRunnerEvents(t);
    const res = await t.call('POST', '/runner/register', TOKENS.runner, announce);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ registered: true, rejoined: false, leaseMs: t.settings.leaseMs });
    expect(events.map((e) => [e.type, e.data])).toEqual([
      ['runner.joined', { runnerId: 'r1', version: '1.2.3', tools: ['ping', 'nmap'], privileged: true, capacity: 2, registered: true, rejoined: false }],
    ]);
    expect(await t.jobs.runners()).toMatchObject([
      { runnerId: 'r1', version: '1.2.3', tools: ['ping', 'nmap'], privileged: true, capacity: 2, registered: true },
    ]);
    const tools = (await (await t.call('GET', '/tools', TOKENS.reader)).json()) as { tools: Array<{ name: string; available: boolean }> };
    expect(
      tools.tools
        .filter((x) => x.available)
        .map((x) => x.name)
        .sort(),
    ).toEqual(['nmap', 'ping']);
  });

  it('shows the announced fields in GET /health', async () => {
    t = makeTestApp();
    await t.call('POST', '/runner/register', TOKENS.runner, announce);
    const health = (await (await t.call('GET', '/health', TOKENS.reader)).json()) as { checks: Array<{ name: string; details?: { runners?: unknown[] } }> };
    expect(health.checks.find((c) => c.name === 'runners')?.details?.runners).toMatchObject([
      { id: 'r1', version: '1.2.3', tools: ['ping', 'nmap'], privileged: true, capacity: 2, registered: true },
    ]);
  });

  it('marks a second registration under the same id (a restart) as rejoined', async () => {
    t = makeTestApp();
    const events = recordRunnerEvents(t);
    await t.call('POST', '/runner/register', TOKENS.runner, announce);
    const again = await t.call('POST', '/runner/register', TOKENS.runner, { ...announce, version: '1.2.4', tools: ['ping'] });
    expect(await again.json()).toMatchObject({ rejoined: true });
    expect(events.map((e) => e.data['rejoined'])).toEqual([false, true]);
    expect(await t.jobs.runners()).toMatchObject([{ runnerId: 'r1', version: '1.2.4', tools: ['ping'] }]);
  });

  it.each([
    ['a bad runner id', { ...announce, runnerId: 'r 1' }],
    ['no version', { ...announce, version: undefined }],
    ['a zero capacity', { ...announce, capacity: 0 }],
    ['a tool name with a space', { ...announce, tools: ['ping now'] }],
  ])('refuses %s with 400 and records nothing', async (_name, body) => {
    t = makeTestApp();
    const res = await t.call('POST', '/runner/register', TOKENS.runner, body);
    expect(res.status).toBe(400);
    expect(await t.jobs.runners()).toEqual([]);
  });

  it('needs the runner scope', async () => {
    t = makeTestApp();
    expect((await t.call('POST', '/runner/register', TOKENS.admin, announce)).status).toBe(403);
    expect((await t.call('POST', '/runner/register', undefined, announce)).status).toBe(401);
  });
});

describe('POST /runner/deregister', () => {
  it('removes the runner and publishes runner.left with reason deregistered', async () => {
    t = makeTestApp();
    const events = recordRunnerEvents(t);
    await t.call('POST', '/runner/register', TOKENS.runner, announce);
    const res = await t.call('POST', '/runner/deregister', TOKENS.runner, { runnerId: 'r1' });
    expect(await res.json()).toEqual({ deregistered: true });
    expect(events.map((e) => [e.type, e.data['reason']])).toEqual([
      ['runner.joined', undefined],
      ['runner.left', 'deregistered'],
    ]);
    expect(await t.jobs.runners()).toEqual([]);
    expect((await t.call('GET', '/health', TOKENS.reader)).status).toBe(503);
  });

  it('answers deregistered: false for an unknown runner and publishes nothing', async () => {
    t = makeTestApp();
    const events = recordRunnerEvents(t);
    expect(await (await t.call('POST', '/runner/deregister', TOKENS.runner, { runnerId: 'ghost' })).json()).toEqual({ deregistered: false });
    expect(events).toEqual([]);
  });
});

describe('runners that never register (older runners)', () => {
  it('join with their first claim, unregistered, and get jobs', async () => {
    t = makeTestApp();
    const events = recordRunnerEvents(t);
    const { jobId } = (await (await t.call('POST', '/tools/ping/execute?async=true', TOKENS.client, { target: '10.0.0.1' })).json()) as { jobId: string };
    const claim = (await (await t.call('POST', '/runner/claim', TOKENS.runner, { runnerId: 'old', tools: ['ping'], waitMs: 0 })).json()) as {
      job?: { id: string };
    };
    expect(claim.job?.id).toBe(jobId);
    expect(events.map((e) => [e.type, e.data])).toEqual([['runner.joined', { runnerId: 'old', tools: ['ping'], registered: false, rejoined: false }]]);
    expect(await t.jobs.runners()).toMatchObject([{ runnerId: 'old', registered: false }]);
  });

  it('a claim from a registered runner does not announce it again', async () => {
    t = makeTestApp();
    const events = recordRunnerEvents(t);
    await t.call('POST', '/runner/register', TOKENS.runner, announce);
    await t.call('POST', '/runner/claim', TOKENS.runner, { runnerId: 'r1', tools: ['ping', 'nmap'], waitMs: 0 });
    expect(events.map((e) => e.type)).toEqual(['runner.joined']);
  });
});

describe('runners not seen for a lease period', () => {
  it('leave with reason not-seen', async () => {
    t = makeTestApp({}, { leaseMs: 100 });
    const events = recordRunnerEvents(t);
    const left = nextEvent(t, 'runner.left');
    await t.call('POST', '/runner/register', TOKENS.runner, announce);
    expect((await left).data).toEqual({ runnerId: 'r1', reason: 'not-seen', registered: true });
    expect(events.map((e) => e.type)).toEqual(['runner.joined', 'runner.left']);
    expect(await t.jobs.runners()).toEqual([]);
  });

  // A clock of our own: lastSeen and the lease window follow it, so no test depends on how fast the machine is.
  it('stay connected while parked in a claim longer than the lease, and leave a lease period after it ends', async () => {
    let clock = 1_000;
    const store = new MemoryJobStore({ leaseMs: 100, maxQueued: 10, maxRetained: 10, now: () => clock });
    const events: RunnerEvent[] = [];
    store.subscribeRunners((e) => events.push(e));
    try {
      await store.register({ ...announce });
      const ac = new AbortController();
      const parked = store.claim({ runnerId: 'r1', tools: ['ping'], waitMs: 60_000, signal: ac.signal });
      clock += 500;
      expect((await store.runners()).map((r) => r.runnerId)).toEqual(['r1']);
      ac.abort();
      expect(await parked).toBeNull();
      clock += 100;
      expect((await store.runners()).map((r) => r.runnerId)).toEqual(['r1']);
      clock += 1;
      expect(await store.runners()).toEqual([]);
      expect(events.map((e) => (e.type === 'left' ? `left:${e.reason}` : e.type))).toEqual(['joined', 'left:not-seen']);
    } finally {
      store.close();
    }
  });

  it('are kept connected by heartbeats while they run a job', async () => {
    let clock = 1_000;
    const store = new MemoryJobStore({ leaseMs: 100, maxQueued: 10, maxRetained: 10, now: () => clock });
    const events: RunnerEvent[] = [];
    store.subscribeRunners((e) => events.push(e));
    try {
      await store.register({ ...announce });
      await store.enqueue({ tool: 'ping', params: { target: '10.0.0.1' }, target: '10.0.0.1', principal: 'p', timeoutSec: 5 });
      const lease = await store.claim({ runnerId: 'r1', tools: ['ping'], waitMs: 0 });
      for (let i = 0; i < 5; i += 1) {
        clock += 90;
        await store.heartbeat(lease?.job.id ?? '', lease?.leaseId ?? '');
      }
      clock += 100;
      expect((await store.runners()).map((r) => r.runnerId)).toEqual(['r1']);
      clock += 1;
      expect(await store.runners()).toEqual([]);
      expect(events.map((e) => e.type)).toEqual(['joined', 'left']);
    } finally {
      store.close();
    }
  });
});
