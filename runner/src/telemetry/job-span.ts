import { type Attributes, type Context, ROOT_CONTEXT, type SpanContext, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { setTraceLogLookup } from '../../../functions/shared/telemetry/log-fields';
import { contextFromTraceparent } from '../../../functions/shared/telemetry/traceparent';
import type { JobOutcome, RunnerJob } from '../../../openapi/sdk/src/runner';

export const RUNNER_TRACER = 'netdiag-runner';

let tracing = true;

/** A running job whose run span is made when first asked for (traceJob). */
interface LiveJob {
  job: RunnerJob;
  runnerId: string;
  /** performance.now() when the job was received: the span's start, whenever it is made. */
  startTime: number;
  context: Context | undefined;
}

/**
 * Each running job, by job id, and its run span's context once made. The runner propagates no context across awaits
 * (functions/shared/telemetry/sync-context-manager.ts, issue 12): what belongs to a job finds its span here instead,
 * explicitly: the exec span (exec-span.ts), the job's report and heartbeat requests (jobContextOfUrl, for
 * job-fetch.ts), its log lines (jobSpanOfLog, for the logger) and its outcome (annotateOutcome).
 */
const live = new Map<string, LiveJob>();

/**
 * The run span, made on first use with the job's arrival as its start: the first to ask is usually the exec span, once
 * the job's process has started (exec-span.ts), so its making is off the path from the claim's answer to the spawn
 * (issue 12: ~0.1 ms of `runner.received → runner.pinned` in the npm start configuration, tracing off vs on).
 */
function contextOf(entry: LiveJob): Context {
  if (entry.context) return entry.context;
  const { job, runnerId, startTime } = entry;
  const span = trace.getTracer(RUNNER_TRACER).startSpan(
    `run ${job.tool}`,
    {
      kind: SpanKind.CONSUMER,
      attributes: { 'netdiag.job.id': job.id, 'netdiag.tool': job.tool, 'netdiag.job.attempt': job.attempt, 'netdiag.runner.id': runnerId },
      // performance.now() time: OpenTelemetry reads a number below the time origin as relative to it.
      startTime,
    },
    contextFromTraceparent(job.traceparent),
  );
  entry.context = trace.setSpan(ROOT_CONTEXT, span);
  return entry.context;
}

/** The context of a running job's run span; undefined when it is not traced. */
export function jobContext(jobId: string): Context | undefined {
  const entry = live.get(jobId);
  return entry ? contextOf(entry) : undefined;
}

// The runner's per-job requests (heartbeat, complete): /runner/jobs/<id>/<action>.
const JOB_URL = /\/runner\/jobs\/([^/?#]+)\/[a-z]+(?:[?#]|$)/;

/** job-fetch.ts's parent for a request: the run span of the job its URL names. */
export function jobContextOfUrl(url: string): Context | undefined {
  const id = live.size > 0 ? JOB_URL.exec(url)?.[1] : undefined;
  if (id === undefined) return undefined;
  try {
    return jobContext(decodeURIComponent(id));
  } catch {
    return undefined; // not an id this runner encoded: no span rather than a failed request
  }
}

/** The logger's lookup (functions/shared/telemetry/log-fields.ts): a line with a running job's `jobId` carries its run span's ids. */
export function jobSpanOfLog(fields: Readonly<Record<string, unknown>>): SpanContext | undefined {
  const id = live.size > 0 ? fields['jobId'] : undefined;
  const ctx = typeof id === 'string' ? jobContext(id) : undefined;
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
 * Run one claimed job under a CONSUMER span that continues the trace the API handed over in the claim (job.traceparent,
 * the API's `job <tool>` span), from the job's arrival to its report's acknowledgement. Everything the job does — the
 * process, heartbeats, the report — finds it by job id (above), and log lines written meanwhile carry its ids. No
 * context is made active around `fn`: nothing reads one (the runner has no async context, and its synchronous start
 * is before any span of the job's own); a span a tool's code would start has no parent (none does).
 */
export function traceJob<T>(job: RunnerJob, runnerId: string, fn: () => Promise<T>): Promise<T> {
  return tracing ? tracedJob(job, runnerId, fn) : fn();
}

async function tracedJob<T>(job: RunnerJob, runnerId: string, fn: () => Promise<T>): Promise<T> {
  const entry: LiveJob = { job, runnerId, startTime: performance.now(), context: undefined };
  live.set(job.id, entry);
  try {
    return await fn();
  } catch (err) {
    const span = trace.getSpan(contextOf(entry));
    span?.recordException(err instanceof Error ? err : String(err));
    span?.setStatus({ code: SpanStatusCode.ERROR, message: 'job crashed' });
    throw err;
  } finally {
    if (live.get(job.id) === entry) live.delete(job.id);
    trace.getSpan(contextOf(entry))?.end();
  }
}

/** Put the job's outcome on its run span (called once the outcome is known, before it is reported). */
export function annotateOutcome(jobId: string, outcome: JobOutcome): void {
  const ctx = jobContext(jobId);
  const span = ctx ? trace.getSpan(ctx) : undefined;
  if (!span?.isRecording()) return;
  const attributes: Attributes = { 'netdiag.job.status': outcome.status, 'netdiag.job.duration_ms': outcome.durationMs };
  if (outcome.resolvedAddress) attributes['netdiag.resolved_address'] = outcome.resolvedAddress;
  if (outcome.status === 'failed') attributes['error.type'] = outcome.error.code;
  span.setAttributes(attributes);
  span.setStatus(outcome.status === 'succeeded' ? { code: SpanStatusCode.OK } : { code: SpanStatusCode.ERROR, message: outcome.error.code });
}
