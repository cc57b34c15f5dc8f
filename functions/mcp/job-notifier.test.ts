import type { ServerNotification } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it } from 'vitest';
import { JobNotifier } from './job-notifier';
import { LogLevelState } from './log-level';

function notifier(progressToken: string | undefined, level?: 'debug' | 'info' | 'error') {
  const sent: ServerNotification[] = [];
  const logs = new LogLevelState();
  if (level) logs.set(level);
  const n = new JobNotifier({ tool: 'nmap', jobId: 'j1', progressToken, logs, send: async (x) => void sent.push(x) });
  return {
    n,
    sent,
    progress: () => sent.filter((s) => s.method === 'notifications/progress').map((s) => s.params),
    logs: () => sent.filter((s) => s.method === 'notifications/message').map((s) => s.params),
  };
}

describe('JobNotifier', () => {
  it("sends strictly increasing progress: 0 when running, then the runner's figures; stale or equal values are dropped", async () => {
    const t = notifier('tok');
    expect(await t.n.handle({ type: 'state', data: { status: 'queued' } })).toBe(false);
    await t.n.handle({ type: 'job.claimed', data: { runnerId: 'r1' } });
    await t.n.handle({ type: 'job.progress', data: { progress: { progress: 20, total: 100, message: 'Connect Scan 20%' } } });
    await t.n.handle({ type: 'job.progress', data: { progress: { progress: 20, total: 100, message: 'again' } } });
    await t.n.handle({ type: 'job.progress', data: { progress: { progress: 10, total: 100 } } });
    await t.n.handle({ type: 'job.progress', data: { progress: { progress: 55, total: 100, message: 'Connect Scan 55%' } } });
    expect(await t.n.handle({ type: 'job.succeeded', data: { durationMs: 5 } })).toBe(true);
    expect(t.progress()).toEqual([
      { progressToken: 'tok', progress: 0, message: 'running on runner r1' },
      { progressToken: 'tok', progress: 20, total: 100, message: 'Connect Scan 20%' },
      { progressToken: 'tok', progress: 55, total: 100, message: 'Connect Scan 55%' },
    ]);
  });

  it('sends no progress without a progress token, and no logs until a level is set', async () => {
    const t = notifier(undefined);
    expect(t.n.wanted).toBe(false);
    await t.n.handle({ type: 'job.claimed', data: { runnerId: 'r1' } });
    await t.n.handle({ type: 'job.failed', data: { error: { code: 'TIMEOUT', message: 'too slow' } } });
    expect(t.sent).toEqual([]);
  });

  it('logs the lifecycle at the level asked for', async () => {
    const t = notifier(undefined, 'info');
    expect(t.n.wanted).toBe(true);
    await t.n.handle({ type: 'state', data: { status: 'queued' } });
    await t.n.handle({ type: 'job.claimed', data: { runnerId: 'r1' } });
    await t.n.handle({ type: 'job.progress', data: { progress: { progress: 1 } } });
    await t.n.handle({ type: 'job.requeued', data: {} });
    await t.n.handle({ type: 'job.failed', data: { error: { code: 'TIMEOUT', message: 'too slow' } } });
    expect(t.logs().map((l) => [l.level, (l.data as { message: string }).message])).toEqual([
      ['info', 'nmap job j1 is running on runner r1'],
      ['warning', 'nmap job j1 lost its runner and was queued again'],
      ['error', 'nmap job j1 failed: TIMEOUT too slow'],
    ]);
  });

  it('treats a first state that has already ended as the end', async () => {
    const t = notifier('tok', 'debug');
    expect(await t.n.handle({ type: 'state', data: { status: 'cancelled' } })).toBe(true);
    expect(t.logs().map((l) => l.level)).toEqual(['notice']);
  });
});
