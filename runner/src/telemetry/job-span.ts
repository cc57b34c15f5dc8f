import { type Attributes, type Context, type SpanContext, SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';
import { setTraceLogLookup } from '../../../functions/shared/telemetry/log-fields';
import { contextFromTraceparent } from '../../../functions/shared/telemetry/traceparent';
import type { JobOutcome, RunnerJob } from '../../../openapi/sdk/src/runner';

export const RUNNER_TRACER = 'netdiag-runner';

let tracing = true;

/**
 * The context of each job's run span while it runs, by job id. The runner propagates no context across awaits
 * (functions/shared/telemetry/sync-context-manager.ts, issue 12): what belongs to a job finds its span here
 * instead, explicitly: the exec span (exec-span.ts), the job's report and heartbeat requests (jobContextOfUrl, for
 * tracedFetch), its log lines (jobSpanOfLog, for the logger) and its outcome (annotateOutcome).
 */
const live = new Map<string, Context>();

/** The context of a running job's run span; undefined when it is not traced. */
export const jobContext = (jobId: string): Context | undefined => live.get(jobId);

// The runner's per-job requests (heartbeat, complete): /runner/jobs/<id>/<action>.
const JOB_URL = /\/runner\/jobs\/([^/?#]+)\/[a-z]+(?:[?#]|$)/;

/** tracedFetch's parent for a request outside any active span: the run span of the job its URL names. */
export function jobContextOfUrl(url: string): Context | undefined {
  const id = live.size > 0 ? JOB_URL.exec(url)?.[1] : undefined;
  if (id === undefined) return undefined;
  try {
    return live.get(decodeURIComponent(id));
  } catch {
    return undefined; // not an id this runner encoded: no span rather than a failed request
  }
}

/** The logger's lookup (functions/shared/telemetry/log-fields.ts): a line with a running job's `jobId` carries its run span's ids. */
export function jobSpanOfLog(fields: Readonly<Record<string, unknown>>): SpanContext | undefined {
  const id = live.size > 0 ? fields['jobId'] : undefined;
  const ctx = typeof id === 'string' ? live.get(id) : undefined;
  return ctx ? trace.getSpanContext(ctx) : undefined;
}

/**
 * main.ts: false when this process registered no tracer provider (no OTLP endpoint: functions/shared/node/otel.ts), so
 * every span would be a non-recording one that nothing sees. The job and exec spans are then not made at all: their
 * attributes, trace context and async wrappers were work on each side of a job's process for nothing (issue 12).
 */
export function setRunnerTracing(on: boolean): void {
  tracing = on;
  setTraceLogLookup(on ? jobSpanOfLog : undefined);
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
  const ctx = trace.setSpan(context.active(), span);
  live.set(job.id, ctx);
  try {
    return await context.with(ctx, fn);
  } catch (err) {
    span.recordException(err instanceof Error ? err : String(err));
    span.setStatus({ code: SpanStatusCode.ERROR, message: 'job crashed' });
    throw err;
  } finally {
    if (live.get(job.id) === ctx) live.delete(job.id);
    span.end();
  }
}

/** Put the job's outcome on its run span (called once the outcome is known, before it is reported). */
export function annotateOutcome(jobId: string, outcome: JobOutcome): void {
  const ctx = live.get(jobId);
  const span = ctx ? trace.getSpan(ctx) : undefined;
  if (!span?.isRecording()) return;
  const attributes: Attributes = { 'netdiag.job.status': outcome.status, 'netdiag.job.duration_ms': outcome.durationMs };
  if (outcome.resolvedAddress) attributes['netdiag.resolved_address'] = outcome.resolvedAddress;
  if (outcome.status === 'failed') attributes['error.type'] = outcome.error.code;
  span.setAttributes(attributes);
  span.setStatus(outcome.status === 'succeeded' ? { code: SpanStatusCode.OK } : { code: SpanStatusCode.ERROR, message: outcome.error.code });
}
