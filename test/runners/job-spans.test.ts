/**
 * The runner's `run <tool>` and `exec <tool>` spans (runner/src/telemetry/job-span.ts, exec-span.ts): made, one under the
 * other, while the runner exports traces; not made at all when it registered no tracer provider (setRunnerTracing(false),
 * issue 12), with the same results and the same errors either way. A real tracer provider (the shim's lite one).
 */
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RunnerJob } from '../../openapi/sdk/src/runner';
import { traceExec } from '../../runner/src/telemetry/exec-span';
import { setRunnerTracing, traceJob } from '../../runner/src/telemetry/job-span';
import type { FinishedSpan } from '../../shim/src/telemetry/lite/lite-span';
import { LiteTracerProvider } from '../../shim/src/telemetry/lite/lite-tracer';

const spans: FinishedSpan[] = [];
const job = { id: 'job-1', tool: 'ping', attempt: 1, leaseId: 'lease-1' } as RunnerJob;
const exec = { tool: 'ping', target: '127.0.0.1', address: '127.0.0.1', file: '/usr/bin/ping', args: ['-c', '1'] };

beforeAll(() => {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  trace.setGlobalTracerProvider(new LiteTracerProvider((s) => spans.push(s)));
});
afterEach(() => {
  spans.length = 0;
  setRunnerTracing(true);
});
afterAll(() => {
  trace.disable();
  context.disable();
});

const run = (): Promise<string> => traceJob(job, 'runner-1', () => traceExec(exec, async () => 'done'));

describe('runner job spans', () => {
  it('exporting traces: an exec span under the run span, with the job and the command', async () => {
    setRunnerTracing(true);
    expect(await run()).toBe('done');
    const runSpan = spans.find((s) => s.name === 'run ping');
    const execSpan = spans.find((s) => s.name === 'exec ping');
    expect(runSpan?.attributes['netdiag.job.id']).toBe('job-1');
    expect(execSpan?.attributes['process.command_args']).toEqual(['/usr/bin/ping', '-c', '1']);
    expect(execSpan?.parentSpanId).toBe(runSpan?.context.spanId);
  });

  it('no tracer provider: no span at all, the same result, and a failure still reaches the caller', async () => {
    setRunnerTracing(false);
    expect(await run()).toBe('done');
    await expect(traceJob(job, 'runner-1', () => traceExec(exec, () => Promise.reject(new Error('crashed'))))).rejects.toThrow('crashed');
    expect(spans).toEqual([]);
  });
});
