import { describe, expect, it } from 'vitest';
import { errorInfo } from '../../../functions/shared/errors/codes';
import { pingTool } from '../../../functions/tools/ping/definition';
import type { SpawnResult } from '../sandbox/spawn';
import { pingExecutor } from '../../../functions/tools/ping/executor';
import { classifyOutcome } from './verdict';

const failedWith = (code: Parameters<typeof errorInfo>[0]) => ({ status: 'failed' as const, error: errorInfo(code, 'x'), durationMs: 1 });

describe('classifyOutcome', () => {
  it('counts only executions that really failed', () => {
    expect(classifyOutcome(failedWith('EXECUTION_ERROR'))).toBe('failure');
    expect(classifyOutcome(failedWith('TIMEOUT'))).toBe('failure');
  });

  it('treats refusals and cancellations as saying nothing about the tool', () => {
    for (const code of ['VALIDATION_ERROR', 'FORBIDDEN_TARGET', 'FORBIDDEN', 'NOT_FOUND', 'CANCELLED', 'CIRCUIT_BREAKER_OPEN', 'RESOURCE_EXHAUSTED'] as const) {
      expect(classifyOutcome(failedWith(code))).toBe('neutral');
    }
  });

  it('treats a valid bad-news result (100% loss, exit 1) as a success', () => {
    expect(classifyOutcome({ status: 'succeeded', result: { transmitted: 3, received: 0, lossPercent: 100 }, durationMs: 3000 })).toBe('success');
  });

  it('ping exiting 1 with 100% loss is parsed as a result, so the breaker sees a success', () => {
    const run: SpawnResult = {
      stdout:
        'PING 10.0.0.9 (10.0.0.9) 56(84) bytes of data.\n\n--- 10.0.0.9 ping statistics ---\n3 packets transmitted, 0 received, 100% packet loss, time 2030ms\n',
      stderr: '',
      exitCode: 1,
      signal: null,
      timedOut: false,
      cancelled: false,
      stdoutTruncated: false,
      stderrTruncated: false,
      durationMs: 3000,
    };
    const parsed = pingExecutor.parse(run, pingTool.params.parse({ target: '10.0.0.9', count: 3 }), { target: '10.0.0.9', address: '10.0.0.9', family: 4 });
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(classifyOutcome({ status: 'succeeded', result: parsed.result, durationMs: 3000 })).toBe('success');
  });
});
