import { afterAll, describe, expect, it } from 'vitest';
import { undeclaredFlag } from '../../../functions/shared/tool/executor';
import { recordingBinary } from '../../../test/helpers/recording-binary';
import { runThroughRunner } from '../../../test/helpers/runner-harness';
import { tool } from './definition';
import { executor } from './executor';
import { parseFpingSummary } from './parse';

const target = { target: '127.0.0.1', address: '127.0.0.1', family: 4 as const };
const settings = { allowIntrusive: false, privileged: false, httpMaxRedirects: 0 };

describe('parseFpingSummary', () => {
  it('reads each time, "-" as a lost request, loss and min/avg/max', () => {
    const r = parseFpingSummary('127.0.0.1 : 0.041 - 0.039 0.100\n', target);
    expect(r).toEqual({
      target: '127.0.0.1',
      address: '127.0.0.1',
      sent: 4,
      received: 3,
      lossPercent: 25,
      rttMs: [0.041, null, 0.039, 0.1],
      stats: { minMs: 0.039, avgMs: 0.06, maxMs: 0.1 },
    });
  });

  it('treats 100% loss as a result with no stats, and no summary as nothing', () => {
    expect(parseFpingSummary('127.0.0.1 : - -\n', target)).toMatchObject({ sent: 2, received: 0, lossPercent: 100, stats: null });
    expect(parseFpingSummary("fping: can't create socket\n", target)).toBeUndefined();
  });
});

describe('fping argv', () => {
  it('holds only declared options, and the pinned address after --', () => {
    const argv = executor.kind === 'binary' ? executor.argv(tool.params.parse({ target: 'x', count: 3 }), target, settings) : [];
    expect(argv).toEqual(['-4', '-C', '3', '-p', '500', '-t', '500', '-b', '56', '--', '127.0.0.1']);
    expect(executor.kind === 'binary' && undeclaredFlag(argv, executor.flags)).toBeUndefined();
  });
});

describe('fping checkParams', () => {
  it('refuses a call that cannot finish before its deadline (fping reports only at the end)', () => {
    const ctx = { allowIntrusive: false, privileged: true };
    expect(tool.policy.checkParams?.(tool.params.parse({ target: 'x', count: 20, intervalMs: 5000 }), ctx)).toMatchObject({ code: 'VALIDATION_ERROR' });
    expect(tool.policy.checkParams?.(tool.params.parse({ target: 'x', count: 20, intervalMs: 5000, timeoutSec: 120 }), ctx)).toBeUndefined();
    expect(tool.policy.checkParams?.(tool.params.parse({ target: 'x' }), ctx)).toBeUndefined();
  });
});

describe('fping render', () => {
  it('copes with any JSON', () => {
    expect(tool.render({})).toContain('no replies');
    expect(
      tool.render({ target: 'a', address: 'b', sent: 2, received: 1, lossPercent: 50, rttMs: [1, null], stats: { minMs: 1, avgMs: 1, maxMs: 1 } }),
    ).toContain('rtt ms: 1 -');
  });
});

describe('fping through the runner (real binary, loopback)', () => {
  it('probes 127.0.0.1 and reports every reply', async () => {
    const { outcome, progress } = await runThroughRunner(executor, { target: '127.0.0.1', count: 2, intervalMs: 100, probeTimeoutMs: 300 });
    expect(outcome).toMatchObject({ status: 'succeeded', resolvedAddress: '127.0.0.1', result: { target: '127.0.0.1', sent: 2, received: 2, lossPercent: 0 } });
    expect(progress.at(-1)).toMatchObject({ progress: 2, total: 2 });
  });

  describe('refusals spawn nothing', () => {
    const fake = recordingBinary('fping', '127.0.0.1 : 0.01\n');
    afterAll(() => fake.cleanup());

    it('runs the stand-in when the target is allowed (so a refusal below is not an accident)', async () => {
      const { outcome } = await runThroughRunner(executor, { target: '127.0.0.1', count: 1 }, { env: { NETDIAG_BINARY_DIRS: fake.dir } });
      expect(outcome.status).toBe('failed'); // the stand-in prints on stdout, fping's summary is on stderr
      expect(fake.calls()).toEqual(['-4 -C 1 -p 500 -t 500 -b 56 -- 127.0.0.1']);
    });

    it.each([
      ['127.0.0.1 while the runner disallows loopback', '127.0.0.1', { MCP_ALLOW_LOOPBACK: 'false' }],
      ['0.0.0.0', '0.0.0.0', {}],
    ])('refuses %s with FORBIDDEN_TARGET', async (_what, t, env) => {
      const before = fake.calls().length;
      const { outcome } = await runThroughRunner(executor, { target: t, count: 1 }, { env: { ...env, NETDIAG_BINARY_DIRS: fake.dir } });
      expect(outcome).toMatchObject({ status: 'failed', error: { code: 'FORBIDDEN_TARGET', details: { checkedBy: 'runner' } } });
      expect(fake.calls()).toHaveLength(before);
    });
  });
});
