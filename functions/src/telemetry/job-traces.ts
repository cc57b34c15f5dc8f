/**
 * A span for the life of each job, driven by the store's events: `job <tool>` starts at enqueue as a child of the
 * traceparent stored on the job (the request that created it) and ends with the job. Its phases are events on it, not
 * spans of their own: `job.claimed` (runner id, attempt), `job.requeued` (lease lost), `progress`. The claim response
 * hands the runner the job span's traceparent, so the runner's spans, pulled rather than pushed, join the trace under
 * it; the time a job waited in the queue is the gap between the job span's start and the runner's `run` span's.
 * Issue 12: the `job.queued` and `job.claimed` spans this replaced were two of the API's five spans per call, each
 * started on the answer's path (at enqueue, at the claim) and each ~0.1 ms of CPU in the process over its life
 * (start, end, serialisation: docs/design.md, "Observability").
 */
import { type Attributes, type Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { JobStore } from '../jobs/store';
import type { Job, JobEvent } from '../jobs/types';
import { contextFromTraceparent, formatTraceparent } from '../../shared/telemetry/traceparent';
import { afterAnswer } from './after-answer';

const TRACER = 'netdiag-api';
/** Jobs followed at once; beyond it new jobs go untraced rather than growing the map. */
const MAX_LIVE = 20_000;

interface Tracked {
  span: Span;
  /** The span's traceparent, formatted once: every claim of the job hands it out. */
  traceparent: string;
}

export class JobTraces {
  private readonly live = new Map<string, Tracked>();

  /** Follow a store's events; returns the unsubscribe function. */
  observe(store: JobStore): () => void {
    return store.subscribe((e) => this.on(e));
  }

  /** The trace context a runner continues for this job: its job span here, else the one stored on the job. */
  claimTraceparent(job: Pick<Job, 'id' | 'traceparent'>): string | undefined {
    return this.live.get(job.id)?.traceparent ?? job.traceparent;
  }

  private on(e: JobEvent): void {
    const job = e.job;
    // A job queued through another replica is traced there (a shared broker delivers every replica's events).
    if (e.type === 'queued') return e.origin === 'remote' ? undefined : this.started(job);
    const tracked = this.live.get(job.id);
    if (!tracked) return;
    const at = performance.now();
    switch (e.type) {
      case 'claimed': {
        // Recorded after the claim's answer has gone out (after-answer.ts), with the claim's time.
        const attributes = { 'netdiag.runner.id': job.runnerId ?? '', 'netdiag.job.attempt': job.attempts };
        afterAnswer(() => tracked.span.addEvent('job.claimed', attributes, at));
        return;
      }
      case 'requeued':
        tracked.span.addEvent('job.requeued', { 'netdiag.job.attempt': job.attempts, reason: 'lease lost' }, at);
        return;
      case 'progress':
        tracked.span.addEvent('progress', { progress: e.progress.progress, ...(e.progress.total !== undefined ? { total: e.progress.total } : {}) }, at);
        return;
      default:
        this.ended(job, tracked, at);
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
    this.live.set(job.id, { span, traceparent: formatTraceparent(span.spanContext()) });
  }

  /**
   * The span ends at the job's end but is annotated and ended after the held caller's answer has gone out
   * (after-answer.ts; issue 12): an end is also where the batch processor starts an export once a batch is full.
   */
  private ended(job: Job, tracked: Tracked, at: number): void {
    this.live.delete(job.id);
    afterAnswer(() => JobTraces.end(job, tracked.span, at));
  }

  private static end(job: Job, span: Span, at: number): void {
    const code = job.error?.code;
    const failed = job.status !== 'succeeded';
    const attributes: Attributes = { 'netdiag.job.status': job.status, 'netdiag.job.attempts': job.attempts };
    if (code) attributes['error.type'] = code;
    if (job.durationMs !== undefined) attributes['netdiag.job.duration_ms'] = job.durationMs;
    if (job.resolvedAddress) attributes['netdiag.resolved_address'] = job.resolvedAddress;
    span.setAttributes(attributes);
    // performance.now() time: OpenTelemetry reads a number below the time origin as relative to it.
    span.setStatus(failed ? { code: SpanStatusCode.ERROR, message: job.error?.message ?? job.status } : { code: SpanStatusCode.OK }).end(at);
  }
}
