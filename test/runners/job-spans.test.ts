/**
 * The runner's `run <tool>` and `exec <tool>` spans (runner/src/telemetry/job-span.ts, exec-span.ts): made, one under the
 * other, while the runner exports traces; not made at all when it registered no tracer provider (setRunnerTracing(false),
 * issue 12), with the same results and the same errors either way. The runner propagates no context across awaits
 * (SyncContextManager, as its otel.ts set-up): the exec span, the job's requests and its log lines find the run span by
 * job id. A real tracer provider (the shim's lite one).
 */
import { context, propagation, trace } from '@opentelemetry/api';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { JobOutcome, RunnerJob } from '../../openapi/sdk/src/runner';
import { traceLogFields } from '../../functions/shared/telemetry/log-fields';
import { SyncContextManager } from '../../functions/shared/telemetry/sync-context-manager';
import { traceExec } from '../../runner/src/telemetry/exec-span';
import { annotateOutcome, jobContextOfUrl, setRunnerTracing, traceJob } from '../../runner/src/telemetry/job-span';
import { jobTraceFetch } from '../../runner/src/telemetry/job-fetch';
import { W3CPropagator } from '../../shim/src/telemetry/lite/w3c-propagator';
import { parseTraceparent } from '../../functions/shared/telemetry/traceparent';
import type { FinishedSpan } from '../../shim/src/telemetry/lite/lite-span';
import { LiteTracerProvider } from '../../shim/src/telemetry/lite/lite-tracer';

const spans: FinishedSpan[] = [];
const job = { id: 'job-1', tool: 'ping', attempt: 1, leaseId: 'lease-1' } as RunnerJob;
const exec = { jobId: 'job-1', tool: 'ping', target: '127.0.0.1', address: '127.0.0.1', file: '/usr/bin/ping', args: ['-c', '1'] };
const outcome = { status: 'succeeded', durationMs: 3, resolvedAddress: '127.0.0.1' } as JobOutcome;
const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 1));

beforeAll(() => {
  context.setGlobalContextManager(new SyncContextManager());
  propagation.setGlobalPropagator(new W3CPropagator());
  trace.setGlobalTracerProvider(new LiteTracerProvider((s) => spans.push(s)));
});
afterEach(() => {
  spans.length = 0;
  setRunnerTracing(true);
});
afterAll(() => {
  setRunnerTracing(true);
  trace.disable();
  context.disable();
  propagation.disable();
});

// Awaits before the exec span and before the outcome: nothing carries the context there but the job id.
const run = (): Promise<string> =>
  traceJob(job, 'runner-1', async () => {
    await tick();
    const result = await traceExec(exec, async () => 'done');
    await tick();
    annotateOutcome(job.id, outcome);
    return result;
  });

describe('runner job spans', () => {
  it('exporting traces: an exec span under the run span, with the job, the command and the outcome', async () => {
    setRunnerTracing(true);
    expect(await run()).toBe('done');
    const runSpan = spans.find((s) => s.name === 'run ping');
    const execSpan = spans.find((s) => s.name === 'exec ping');
    expect(runSpan?.attributes).toMatchObject({ 'netdiag.job.id': 'job-1', 'netdiag.job.status': 'succeeded', 'netdiag.resolved_address': '127.0.0.1' });
    expect(execSpan?.attributes['process.command_args']).toEqual(['/usr/bin/ping', '-c', '1']);
    expect(execSpan?.parentSpanId).toBe(runSpan?.context.spanId);
  });

  it('the run span, made when first asked for (here by the exec span), starts when the job arrived', async () => {
    setRunnerTracing(true);
    await traceJob(job, 'runner-1', async () => {
      await new Promise((resolve) => setTimeout(resolve, 30));
      await traceExec(exec, async () => 'done');
    });
    await tick(); // the exec span ends after the turn its result came in (exec-span.ts)
    const runSpan = spans.find((s) => s.name === 'run ping');
    const execSpan = spans.find((s) => s.name === 'exec ping');
    const gapMs = Number(BigInt(execSpan?.startNs ?? '0') - BigInt(runSpan?.startNs ?? '0')) / 1e6;
    expect(gapMs).toBeGreaterThanOrEqual(25);
    expect(execSpan?.parentSpanId).toBe(runSpan?.context.spanId);
  });

  it("a running job's requests and log lines find its run span by job id; other jobs' and ended jobs' do not", async () => {
    setRunnerTracing(true);
    let seen: { url?: string | undefined; other?: string | undefined; log?: object; otherLog?: object } = {};
    await traceJob(job, 'runner-1', async () => {
      await tick();
      const span = (url: string): string | undefined => {
        const ctx = jobContextOfUrl(url);
        return ctx ? trace.getSpanContext(ctx)?.spanId : undefined;
      };
      seen = {
        url: span('http://127.0.0.1:1/runner/jobs/job-1/complete'),
        other: span('http://127.0.0.1:1/runner/jobs/job-2/complete'),
        log: traceLogFields({ jobId: 'job-1' }),
        otherLog: traceLogFields({ jobId: 'job-2' }),
      };
    });
    const runSpan = spans.find((s) => s.name === 'run ping');
    expect(seen.url).toBe(runSpan?.context.spanId);
    expect(seen.other).toBeUndefined();
    expect(seen.log).toEqual({ trace_id: runSpan?.context.traceId, span_id: runSpan?.context.spanId, trace_flags: '01' });
    expect(seen.otherLog).toEqual({});
    expect(jobContextOfUrl('http://127.0.0.1:1/runner/jobs/job-1/complete')).toBeUndefined();
    expect(traceLogFields({ jobId: 'job-1' })).toEqual({});
  });

  it("a running job's report carries its run span's traceparent, in a copy of the plain headers; other requests pass as they are", async () => {
    setRunnerTracing(true);
    const handed: Array<{ input: unknown; init: RequestInit | undefined }> = [];
    const send = jobTraceFetch((input, init) => {
      handed.push({ input, init });
      return Promise.resolve(new Response(null, { status: 204 }));
    });
    const given = { 'content-type': 'application/json' };
    const claim = { method: 'POST', headers: given, body: '{}' };
    await traceJob(job, 'runner-1', async () => {
      await tick();
      await send('http://127.0.0.1:1/runner/jobs/job-1/complete', { method: 'POST', headers: given, body: '{}' });
      await send('http://127.0.0.1:1/runner/claim', claim);
    });
    const runSpan = spans.find((s) => s.name === 'run ping');
    const reported = handed[0]?.init?.headers as Record<string, string> | undefined;
    expect(typeof handed[0]?.input).toBe('string');
    expect(reported?.['content-type']).toBe('application/json');
    expect(parseTraceparent(reported?.['traceparent'])?.spanId).toBe(runSpan?.context.spanId);
    expect(given).toEqual({ 'content-type': 'application/json' }); // the caller's object is not changed
    expect(handed[1]?.init).toBe(claim);
    expect(spans.map((s) => s.name)).toEqual(['run ping']); // no CLIENT span of its own (issue 12)
  });

  it('no tracer provider: no span at all, the same result, and a failure still reaches the caller', async () => {
    setRunnerTracing(false);
    expect(await run()).toBe('done');
    await expect(traceJob(job, 'runner-1', () => traceExec(exec, () => Promise.reject(new Error('crashed'))))).rejects.toThrow('crashed');
    expect(spans).toEqual([]);
  });
});
