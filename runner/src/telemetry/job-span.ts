import { type Attributes, SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';
import { contextFromTraceparent } from '../../../functions/shared/telemetry/traceparent';
import type { JobOutcome, RunnerJob } from '../../../openapi/sdk/src/runner';

export const RUNNER_TRACER = 'netdiag-runner';

let tracing = true;

/**
 * main.ts: false when this process registered no tracer provider (no OTLP endpoint: functions/shared/node/otel.ts), so
 * every span would be a non-recording one that nothing sees. The job and exec spans are then not made at all: their
 * attributes, trace context and async wrappers were work on each side of a job's process for nothing (issue 12).
 */
export function setRunnerTracing(on: boolean): void {
  tracing = on;
}

/** Whether the runner makes its job and exec spans (setRunnerTracing). */
export const runnerTracing = (): boolean => tracing;

/**
 * Run one claimed job inside a CONSUMER span that continues the trace the API handed over in the claim
 * (job.traceparent, the API's `job.claimed` span). Everything the job does — the process, heartbeats, the report —
 * happens under it, and log lines written meanwhile carry its ids.
 */
export function traceJob<T>(job: RunnerJob, runnerId: string, fn: () => Promise<T>): Promise<T> {
  return tracing ? tracedJob(job, runnerId, fn) : fn();
}

async function tracedJob<T>(job: RunnerJob, runnerId: string, fn: () => Promise<T>): Promise<T> {
  const span = trace.getTracer(RUNNER_TRACER).startSpan(
    `run ${job.tool}`,
    {
      kind: SpanKind.CONSUMER,
      attributes: { 'netdiag.job.id': job.id, 'netdiag.tool': job.tool, 'netdiag.job.attempt': job.attempt, 'netdiag.runner.id': runnerId },
    },
    contextFromTraceparent(job.traceparent),
  );
  try {
    return await context.with(trace.setSpan(context.active(), span), fn);
  } catch (err) {
    span.recordException(err instanceof Error ? err : String(err));
    span.setStatus({ code: SpanStatusCode.ERROR, message: 'job crashed' });
    throw err;
  } finally {
    span.end();
  }
}

/** Put the job's outcome on the active job span (called once the outcome is known, before it is reported). */
export function annotateOutcome(outcome: JobOutcome): void {
  const span = trace.getActiveSpan();
  if (!span?.isRecording()) return;
  const attributes: Attributes = { 'netdiag.job.status': outcome.status, 'netdiag.job.duration_ms': outcome.durationMs };
  if (outcome.resolvedAddress) attributes['netdiag.resolved_address'] = outcome.resolvedAddress;
  if (outcome.status === 'failed') attributes['error.type'] = outcome.error.code;
  span.setAttributes(attributes);
  span.setStatus(outcome.status === 'succeeded' ? { code: SpanStatusCode.OK } : { code: SpanStatusCode.ERROR, message: outcome.error.code });
}
