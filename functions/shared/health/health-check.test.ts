import { describe, expect, it } from 'vitest';
import { runHealth } from '../../src/health/checks';
import { type CheckResult, defineHealthCheck } from './health-check';

describe('defineHealthCheck', () => {
  it('refuses bad names and priorities at once', () => {
    expect(() => defineHealthCheck({ name: 'Bad Name', priority: 3, check: () => ({ status: 'healthy', message: '' }) })).toThrow(TypeError);
    expect(() => defineHealthCheck({ name: 'ok', priority: 7 as 5, check: () => ({ status: 'healthy', message: '' }) })).toThrow(/priority/);
  });

  it('turns a throw, a hang or a malformed answer into an unhealthy result', async () => {
    const thrown = defineHealthCheck({
      name: 'throws',
      priority: 3,
      check: () => {
        throw new Error('disk gone');
      },
    });
    expect(await thrown.run()).toEqual({ status: 'unhealthy', message: 'Check failed: disk gone' });
    const hung = defineHealthCheck({ name: 'hangs', priority: 3, timeoutMs: 50, check: () => new Promise(() => undefined) });
    expect(await hung.run()).toMatchObject({ status: 'unhealthy', message: expect.stringContaining('50 ms') });
    const odd = defineHealthCheck({ name: 'odd', priority: 3, check: () => ({ status: 'fine', message: 1 }) as unknown as CheckResult });
    expect(await odd.run()).toMatchObject({ status: 'unhealthy' });
  });
});

describe('runHealth priorities', () => {
  const check = (name: string, priority: 1 | 2 | 3 | 4 | 5, status: 'healthy' | 'degraded' | 'unhealthy') =>
    defineHealthCheck({ name, priority, check: () => ({ status, message: status }) });

  it('a failing critical check (1) makes /health unhealthy (503)', async () => {
    expect((await runHealth([check('disk', 1, 'unhealthy'), check('info', 5, 'healthy')])).status).toBe('unhealthy');
  });

  it('an informational check (5) is reported but never changes the overall status', async () => {
    const report = await runHealth([check('ok', 2, 'healthy'), check('info_bad', 5, 'unhealthy'), check('info_meh', 5, 'degraded')]);
    expect(report.status).toBe('healthy');
    expect(report.checks.map((c) => [c.name, c.status])).toEqual([
      ['ok', 'healthy'],
      ['info_bad', 'unhealthy'],
      ['info_meh', 'degraded'],
    ]);
    expect((await runHealth([check('meh', 4, 'degraded'), check('info_bad', 5, 'unhealthy')])).status).toBe('degraded');
  });
});
