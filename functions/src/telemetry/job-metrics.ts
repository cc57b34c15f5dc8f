import type { JobStore } from '../jobs/store';
import { afterAnswer } from './after-answer';
import { apiInstruments, statusLabel } from './instruments';

/**
 * Execution metrics from the job lifecycle. Runners push nothing of their own: a job's end is reported to the API
 * (POST /runner/jobs/{id}/complete, or the API ends it: NO_RUNNER, TIMEOUT, cancellation), and the API already
 * knows its tool, outcome and the runner-measured duration. Returns the unsubscribe function.
 */
export function recordJobMetrics(jobs: JobStore): () => void {
  return jobs.subscribe((e) => {
    // With a shared broker every replica hears every end: only the replica that ended the job counts it.
    if (e.origin === 'remote') return;
    if (e.type !== 'succeeded' && e.type !== 'failed' && e.type !== 'cancelled') return;
    const { tool, error, durationMs } = e.job;
    const code = e.type === 'succeeded' ? undefined : e.type === 'cancelled' ? 'CANCELLED' : (error?.code ?? 'UNKNOWN');
    // Recorded after the held caller's answer (issue 12); GET /metrics flushes what is pending first (after-answer.ts).
    afterAnswer(() => {
      const m = apiInstruments();
      m.executions.add(1, { tool, status: statusLabel(code) });
      if (code === 'TIMEOUT') m.timeouts.add(1, { tool });
      if (durationMs !== undefined) m.duration.record(durationMs / 1000, { tool });
    });
  });
}
