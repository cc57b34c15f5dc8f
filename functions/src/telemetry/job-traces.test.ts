import { describe, expect, it } from 'vitest';
import { MemoryJobStore } from '../jobs/memory-store';
import { flushAfterAnswer } from './after-answer';
import { JobTraces } from './job-traces';
import { collectLiteSpans } from '../../../test/helpers/lite-spans';
import { parseTraceparent } from '../../shared/telemetry/traceparent';

const spans = collectLiteSpans();

const CALLER = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

describe("JobTraces: a job's life as spans under the request that created it", () => {
  it('starts the job span under the stored traceparent, records the claim on it and hands the runner the job span', async () => {
    const store = new MemoryJobStore({ leaseMs: 60_000, maxQueued: 10, maxRetained: 10 });
    const traces = new JobTraces();
    const off = traces.observe(store);
    const job = await store.enqueue({ tool: 'ping', params: {}, target: '10.0.0.1', principal: 'p', timeoutSec: 5, traceparent: CALLER });
    const lease = await store.claim({ runnerId: 'r1', tools: ['ping'], waitMs: 0 });
    const handed = parseTraceparent(traces.claimTraceparent(lease?.job ?? job));
    await store.complete(job.id, lease?.leaseId ?? '', { status: 'succeeded', result: {}, durationMs: 12, resolvedAddress: '10.0.0.1' });
    off();
    store.close();
    flushAfterAnswer(); // the job's spans end after the held caller's answer (after-answer.ts)

    // One span per job (issue 12): its phases are events on it.
    expect(spans.map((s) => s.name)).toEqual(['job ping']);
    const jobSpan = spans[0];
    expect(jobSpan?.context.traceId).toBe('0af7651916cd43dd8448eb211c80319c');
    expect(jobSpan?.parentSpanId).toBe('b7ad6b7169203331');
    expect(jobSpan?.events.map((e) => e.name)).toEqual(['job.claimed']);
    expect(jobSpan?.events[0]?.attributes).toMatchObject({ 'netdiag.runner.id': 'r1', 'netdiag.job.attempt': 1 });
    expect(handed).toMatchObject({ traceId: '0af7651916cd43dd8448eb211c80319c', spanId: jobSpan?.context.spanId });
    expect(jobSpan?.attributes).toMatchObject({
      'netdiag.job.id': job.id,
      'netdiag.job.status': 'succeeded',
      'netdiag.job.duration_ms': 12,
      'netdiag.resolved_address': '10.0.0.1',
    });
    // Once the job has ended only the stored context is left to hand out.
    expect(traces.claimTraceparent(job)).toBe(CALLER);
  });
});
