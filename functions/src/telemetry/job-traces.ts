/**
 * Spans for the life of each job, driven by the store's events. A job span (`job <tool>`) starts at enqueue as a
 * child of the traceparent stored on the job (the request that created it) and ends with the job; under it, a
 * `job.queued` span until a runner claims it and a `job.claimed` span until it ends. The claim response hands the
 * runner the `job.claimed` span's traceparent, so the runner's spans, pulled rather than pushed, join the trace.
 */
import { type Attributes, ROOT_CONTEXT, type Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { JobStore } from '../jobs/store';
import type { Job, JobEvent } from '../jobs/types';
import { contextFromTraceparent, formatTraceparent } from '../../shared/telemetry/traceparent';
import { afterAnswer } from './after-answer';

const TRACER = 'netdiag-api';
/** Jobs followed at once; beyond it new jobs go untraced rather than growing the map. */
const MAX_LIVE = 20_000;

interface Tracked {
  job: Span;
  phase: Span | undefined;
}

export class JobTraces {
  private readonly live = new Map<string, Tracked>();

  /** Follow a store's events; returns the unsubscribe function. */
  observe(store: JobStore): () => void {
    return store.subscribe((e) => this.on(e));
  }

  /** The trace context a runner continues for this job: its claimed span here, else the one stored on the job. */
  claimTraceparent(job: Pick<Job, 'id' | 'traceparent'>): string | undefined {
    const phase = this.live.get(job.id)?.phase;
    return phase ? formatTraceparent(phase.spanContext()) : job.traceparent;
  }

  private on(e: JobEvent): void {
    const job = e.job;
    // A job queued through another replica is traced there (a shared broker delivers every replica's events).
    if (e.type === 'queued') return e.origin === 'remote' ? undefined : this.started(job);
    const tracked = this.live.get(job.id);
    if (!tracked) return;
    switch (e.type) {
      case 'claimed': {
        // The claim's answer carries the new span's traceparent, so it starts now; the old one ends after the answer.
        const queued = tracked.phase;
        const at = performance.now();
        tracked.phase = this.phase(tracked.job, 'job.claimed', { 'netdiag.runner.id': job.runnerId ?? '', 'netdiag.job.attempt': job.attempts });
        if (queued) afterAnswer(() => queued.end(at));
        return;
      }
      case 'requeued':
        tracked.phase?.setStatus({ code: SpanStatusCode.ERROR, message: 'lease lost; job requeued' }).end();
        tracked.phase = this.phase(tracked.job, 'job.queued', { 'netdiag.job.requeued': true });
        return;
      case 'progress':
        tracked.phase?.addEvent('progress', { progress: e.progress.progress, ...(e.progress.total !== undefined ? { total: e.progress.total } : {}) });
        return;
      default:
        this.ended(job, tracked);
    }
  }

  private started(job: Job): void {
    if (this.live.size >= MAX_LIVE) return;
    const span = trace.getTracer(TRACER).startSpan(
      `job ${job.tool}`,
      {
        kind: SpanKind.INTERNAL,
        attributes: { 'netdiag.job.id': job.id, 'netdiag.tool': job.tool, 'netdiag.target': job.target, 'netdiag.job.timeout_sec': job.timeoutSec },
      },
      contextFromTraceparent(job.traceparent),
    );
    if (!span.isRecording()) return;
    this.live.set(job.id, { job: span, phase: this.phase(span, 'job.queued', {}) });
  }

  /**
   * The spans end at the job's end but are annotated and ended after the held caller's answer has gone out
   * (after-answer.ts; issue 12): an end is also where the batch processor starts an export once a batch is full.
   */
  private ended(job: Job, tracked: Tracked): void {
    this.live.delete(job.id);
    const at = performance.now();
    afterAnswer(() => this.end(job, tracked, at));
  }

  private end(job: Job, tracked: Tracked, at: number): void {
    const code = job.error?.code;
    const failed = job.status !== 'succeeded';
    tracked.phase?.setStatus(failed ? { code: SpanStatusCode.ERROR, message: code ?? job.status } : { code: SpanStatusCode.OK }).end(at);
    tracked.job.setAttributes({
      'netdiag.job.status': job.status,
      'netdiag.job.attempts': job.attempts,
      ...(code ? { 'error.type': code } : {}),
      ...(job.durationMs !== undefined ? { 'netdiag.job.duration_ms': job.durationMs } : {}),
      ...(job.resolvedAddress ? { 'netdiag.resolved_address': job.resolvedAddress } : {}),
    });
    // performance.now() time: OpenTelemetry reads a number below the time origin as relative to it.
    tracked.job.setStatus(failed ? { code: SpanStatusCode.ERROR, message: job.error?.message ?? job.status } : { code: SpanStatusCode.OK }).end(at);
  }

  private phase(parent: Span, name: string, attributes: Attributes): Span {
    return trace.getTracer(TRACER).startSpan(name, { kind: SpanKind.INTERNAL, attributes }, trace.setSpan(ROOT_CONTEXT, parent));
  }
}
