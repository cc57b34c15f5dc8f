import { afterEach, describe, expect, it } from 'vitest';
import { TOKENS, makeTestApp } from '../../../test/helpers/app';
import { readSse } from '../../../test/helpers/sse';
import type { AuditEntry, AuditSink } from '../audit/entry';
import { errorInfo } from '../../shared/errors/codes';

type TestApp = ReturnType<typeof makeTestApp>;
let t: TestApp;
afterEach(() => t.jobs.close());

const claim = async (app: TestApp, waitMs = 2000): Promise<{ id: string; leaseId: string }> =>
  (
    (await (await app.call('POST', '/runner/claim', TOKENS.runner, { runnerId: 'r1', tools: ['ping'], waitMs })).json()) as {
      job: { id: string; leaseId: string };
    }
  ).job;

describe('async execution and reattach', () => {
  it('answers 202 with Location for ?async=true and Prefer: respond-async', async () => {
    t = makeTestApp();
    const a = await t.call('POST', '/tools/ping/execute?async=true', TOKENS.client, { target: '10.0.0.1' });
    expect(a.status).toBe(202);
    const body = (await a.json()) as { jobId: string; links: { self: string } };
    expect(a.headers.get('location')).toBe(`/jobs/${body.jobId}`);
    const res = await t.app.request('http://localhost/tools/ping/execute', {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKENS.client}`, 'content-type': 'application/json', prefer: 'respond-async' },
      body: JSON.stringify({ target: '10.0.0.2' }),
    });
    expect(res.status).toBe(202);
    expect(await t.jobs.list({ status: 'queued' })).toHaveLength(2);
  });

  it('reattaches a retry with the same Idempotency-Key to the running job', async () => {
    t = makeTestApp();
    const send = (signal?: AbortSignal): Promise<Response> =>
      Promise.resolve(
        t.app.request('http://localhost/tools/ping/execute', {
          method: 'POST',
          headers: { authorization: `Bearer ${TOKENS.client}`, 'content-type': 'application/json', 'idempotency-key': 'call-42' },
          body: JSON.stringify({ target: '10.0.0.1', count: 1 }),
          ...(signal ? { signal } : {}),
        }),
      );
    const first = new AbortController();
    const abandoned = send(first.signal).catch(() => undefined);
    const job = await claim(t);
    first.abort();
    await abandoned;
    const retry = send();
    await new Promise((r) => setTimeout(r, 20));
    expect(await t.jobs.list()).toHaveLength(1);
    const result = { target: '10.0.0.1', address: '10.0.0.1', transmitted: 1, received: 1, lossPercent: 0, rtt: null, replies: [], truncated: false };
    await t.call('POST', `/runner/jobs/${job.id}/complete`, TOKENS.runner, { leaseId: job.leaseId, outcome: { status: 'succeeded', result, durationMs: 1 } });
    const res = await retry;
    expect(res.status).toBe(200);
    expect(((await res.json()) as { jobId: string }).jobId).toBe(job.id);
  });
});

describe('cancel', () => {
  it('ends a queued job at once and tells the runner of a running one', async () => {
    t = makeTestApp();
    const queued = (await (await t.call('POST', '/tools/ping/execute?async=true', TOKENS.client, { target: '10.0.0.1' })).json()) as { jobId: string };
    const del = await t.call('DELETE', `/jobs/${queued.jobId}`, TOKENS.client);
    expect(await del.json()).toMatchObject({ status: 'cancelled', error: { code: 'CANCELLED' } });
    await t.call('POST', '/tools/ping/execute?async=true', TOKENS.client, { target: '10.0.0.2' });
    const running = await claim(t);
    await t.call('DELETE', `/jobs/${running.id}`, TOKENS.client);
    const hb = await t.call('POST', `/runner/jobs/${running.id}/heartbeat`, TOKENS.runner, { leaseId: running.leaseId });
    expect(await hb.json()).toMatchObject({ cancelRequested: true });
  });

  it('pushes the cancel down the runner control poll at once, audits every request and answers a late cancel with the end state', async () => {
    t = makeTestApp();
    const audit: AuditEntry[] = [];
    (t.deps as { audit?: AuditSink }).audit = (e) => audit.push(e);
    await t.call('POST', '/tools/ping/execute?async=true', TOKENS.client, { target: '10.0.0.3' });
    const job = await claim(t);
    const poll = t.call('POST', '/runner/control', TOKENS.runner, { runnerId: 'r1', waitMs: 60_000 });
    expect((await t.call('DELETE', `/jobs/${job.id}`, TOKENS.client)).status).toBe(200);
    expect(await (await poll).json()).toEqual({ messages: [{ type: 'cancel', jobId: job.id, leaseId: job.leaseId }] });
    expect((await t.call('DELETE', `/jobs/${job.id}`, TOKENS.client)).status).toBe(200);
    const done = await t.call('POST', `/runner/jobs/${job.id}/complete`, TOKENS.runner, {
      leaseId: job.leaseId,
      outcome: { status: 'failed', error: errorInfo('CANCELLED', 'cancelled'), durationMs: 1 },
    });
    expect(done.status).toBe(200);
    const late = await t.call('DELETE', `/jobs/${job.id}`, TOKENS.client);
    expect(late.status).toBe(200);
    expect(await late.json()).toMatchObject({ status: 'cancelled', error: { code: 'CANCELLED' } });
    expect(audit.filter((e) => e.kind === 'cancel').map((e) => [e.kind, e.principal, e.outcome])).toEqual([
      ['cancel', 'client', 'cancel-requested'],
      ['cancel', 'client', 'cancel-repeated'],
      ['cancel', 'client', 'already-cancelled'],
    ]);
    // Only runners may poll for control messages.
    expect((await t.call('POST', '/runner/control', TOKENS.client, { runnerId: 'r1', waitMs: 0 })).status).toBe(403);
  });

  it("hides other principals' jobs", async () => {
    t = makeTestApp();
    const mine = (await (await t.call('POST', '/tools/ping/execute?async=true', TOKENS.admin, { target: '10.0.0.1' })).json()) as { jobId: string };
    expect((await t.call('DELETE', `/jobs/${mine.jobId}`, TOKENS.client)).status).toBe(404);
    expect((await t.call('GET', `/jobs/${mine.jobId}`, TOKENS.client)).status).toBe(404);
    expect((await t.call('GET', `/jobs/${mine.jobId}`, TOKENS.admin)).status).toBe(200);
  });
});

describe('job events (SSE)', () => {
  it('streams state, claim, progress and the end; resumes after Last-Event-ID', async () => {
    t = makeTestApp();
    const { jobId } = (await (await t.call('POST', '/tools/ping/execute?async=true', TOKENS.client, { target: '10.0.0.1' })).json()) as { jobId: string };
    const stream = await t.call('GET', `/jobs/${jobId}/events`, TOKENS.client);
    expect(stream.headers.get('content-type')).toMatch(/text\/event-stream/);
    const reading = readSse(stream, (f) => f.event === 'job.succeeded');
    const job = await claim(t);
    await t.call('POST', `/runner/jobs/${job.id}/heartbeat`, TOKENS.runner, {
      leaseId: job.leaseId,
      progress: { progress: 1, total: 4, message: 'reply 1/4' },
    });
    const result = { target: '10.0.0.1', address: '10.0.0.1', transmitted: 1, received: 1, lossPercent: 0, rtt: null, replies: [], truncated: false };
    await t.call('POST', `/runner/jobs/${job.id}/complete`, TOKENS.runner, { leaseId: job.leaseId, outcome: { status: 'succeeded', result, durationMs: 1 } });
    const frames = await reading;
    expect(frames.map((f) => f.event)).toEqual(['state', 'job.claimed', 'job.progress', 'job.succeeded']);
    expect(JSON.parse(frames[2]?.data ?? '{}')).toMatchObject({ progress: { progress: 1, total: 4, message: 'reply 1/4' } });

    const claimedId = frames[1]?.id ?? '';
    const resumed = await t.app.request(`http://localhost/jobs/${jobId}/events`, {
      headers: { authorization: `Bearer ${TOKENS.client}`, 'last-event-id': claimedId },
    });
    const again = await readSse(resumed, (f) => f.event === 'job.succeeded');
    expect(again.map((f) => f.event)).toEqual(['state', 'job.progress', 'job.succeeded']);
  });
});

describe('enable and disable', () => {
  it('needs tools:admin, hides the tool, refuses calls and announces the change', async () => {
    t = makeTestApp();
    expect((await t.call('POST', '/tools/ping/disable', TOKENS.client)).status).toBe(403);
    const seen: string[] = [];
    t.deps.events.subscribe((e) => seen.push(`${e.type}:${String(e.data['tool'])}:${String(e.data['enabled'])}`));
    expect(await (await t.call('POST', '/tools/ping/disable', TOKENS.admin)).json()).toEqual({ name: 'ping', enabled: false, changed: true });
    const list = (await (await t.call('GET', '/tools', TOKENS.client)).json()) as { tools: Array<{ name: string }> };
    expect(list.tools.map((x) => x.name)).not.toContain('ping');
    const call = await t.call('POST', '/tools/ping/execute', TOKENS.client, { target: '10.0.0.1' });
    expect(call.status).toBe(404);
    expect(await (await t.call('GET', '/tools/ping', TOKENS.client)).json()).toMatchObject({ name: 'ping', enabled: false });
    await t.call('POST', '/tools/ping/enable', TOKENS.admin);
    expect(seen).toEqual(['tools.list_changed:ping:false', 'tools.list_changed:ping:true']);
  });

  it('starts with TOOL_INCLUDE / TOOL_EXCLUDE applied', async () => {
    t = makeTestApp({ TOOL_EXCLUDE: 'pi*' });
    const list = (await (await t.call('GET', '/tools', TOKENS.client)).json()) as { tools: Array<{ name: string }> };
    expect(list.tools.map((x) => x.name)).not.toContain('ping');
  });
});

describe('health', () => {
  it('is 503 with no runner and 200 once a runner advertising every tool polls', async () => {
    t = makeTestApp();
    const down = await t.call('GET', '/health', TOKENS.reader);
    expect(down.status).toBe(503);
    expect(await down.json()).toMatchObject({
      status: 'unhealthy',
      checks: [
        { name: 'runners', priority: 2, status: 'unhealthy' },
        { name: 'queue' },
        { name: 'tools' },
        { name: 'breakers', priority: 5, status: 'healthy' },
      ],
    });
    const tools = t.deps.registry.enabledTools().map((d) => d.name);
    await t.call('POST', '/runner/claim', TOKENS.runner, { runnerId: 'r1', tools: ['ping'], waitMs: 0 });
    const partial = await t.call('GET', '/health', TOKENS.reader);
    expect(partial.status).toBe(tools.length > 1 ? 207 : 200);
    await t.call('POST', '/runner/claim', TOKENS.runner, { runnerId: 'r1', tools, waitMs: 0 });
    expect((await t.call('GET', '/health', TOKENS.reader)).status).toBe(200);
  });

  it('answers /readyz 503 while draining', async () => {
    t = makeTestApp();
    expect((await t.call('GET', '/readyz', TOKENS.reader)).status).toBe(200);
    t.deps.lifecycle.draining = true;
    expect((await t.call('GET', '/readyz', TOKENS.reader)).status).toBe(503);
  });
});

describe('GET /tools shows runners and breakers', () => {
  it('lists the runners that offer a tool and the worst breaker state they report; /health degrades on an open breaker', async () => {
    t = makeTestApp();
    await t.call('POST', '/runner/claim', TOKENS.runner, { runnerId: 'r1', tools: ['ping', 'nmap'], waitMs: 0, breakers: { ping: 'CLOSED', nmap: 'OPEN' } });
    await t.call('POST', '/runner/claim', TOKENS.runner, { runnerId: 'r2', tools: ['ping'], waitMs: 0, breakers: { ping: 'HALF_OPEN' } });
    const list = (await (await t.call('GET', '/tools', TOKENS.reader)).json()) as {
      tools: Array<{ name: string; runners: string[]; breaker: string; available: boolean }>;
    };
    const byName = Object.fromEntries(list.tools.map((x) => [x.name, x]));
    expect(byName['ping']).toMatchObject({ available: true, runners: ['r1', 'r2'], breaker: 'HALF_OPEN' });
    expect(byName['nmap']).toMatchObject({ available: true, runners: ['r1'], breaker: 'OPEN' });
    expect(byName['dig']).toMatchObject({ available: false, runners: [], breaker: 'CLOSED' });
    const health = (await (await t.call('GET', '/health', TOKENS.reader)).json()) as { checks: Array<{ name: string; status: string; message: string }> };
    expect(health.checks.find((c) => c.name === 'breakers')).toMatchObject({ status: 'degraded', message: expect.stringContaining('nmap OPEN') });
  });
});
