import { ApiError } from '../errors/api-error';
import { errorInfo } from '../../shared/errors/codes';
import { nameReasons, noRunnerDetails, whyNotOffered } from './no-runner';
import type { JobStore } from './store';
import type { Job } from './types';

/** Time the API waits beyond the job's own deadline for the runner's report before ending it with TIMEOUT. */
export const REPORT_GRACE_MS = 5000;

export interface SuperviseSettings {
  queueWaitMs: number;
}

/**
 * Arm a new job's two clocks, once, whoever waits for it: no runner within `queueWaitMs` → NO_RUNNER;
 * still not ended past its own deadline plus grace → TIMEOUT. Both stop when the job ends.
 */
export function superviseJob(jobs: JobStore, job: Job, settings: SuperviseSettings): void {
  // A shared store may be unreachable when a clock fires (UNAVAILABLE): the job then stays as it is, never an
  // unhandled rejection that would end the process.
  // One timer at a time (issue 12: this runs on every call's path): the deadline's is armed when the no-runner one fires.
  let timer = setTimeout(() => {
    void failWithoutRunner(jobs, job, settings).catch(() => undefined);
    timer = setTimeout(
      () => {
        void jobs.expire(job.id, errorInfo('TIMEOUT', `${job.tool} did not finish within ${job.timeoutSec}s.`)).catch(() => undefined);
      },
      job.timeoutSec * 1000 + REPORT_GRACE_MS,
    );
  }, settings.queueWaitMs);
  void jobs.waitForEnd(job.id).then(
    () => clearTimeout(timer),
    () => undefined,
  );
}

/**
 * Hold a synchronous call until its job ends. When the caller goes away the job is cancelled, unless it has an
 * idempotency key: then the caller means to come back, and a retry with the same key reattaches.
 */
export async function holdUntilDone(jobs: JobStore, job: Job, signal: AbortSignal, onCallerCancel?: (before: Job, after: Job) => void): Promise<Job> {
  try {
    return await jobs.waitForEnd(job.id, signal);
  } catch (err) {
    if (!signal.aborted) throw err;
    if (!job.idempotencyKey) {
      const before = { ...((await jobs.get(job.id)) ?? job) };
      const after = await jobs.cancel(job.id, errorInfo('CANCELLED', `Cancelled by ${job.principal}: the caller closed the request.`));
      onCallerCancel?.(before, after ?? before);
    }
    throw ApiError.of('CANCELLED', 'The request was closed before the job finished.');
  }
}

async function failWithoutRunner(jobs: JobStore, job: Job, settings: SuperviseSettings): Promise<void> {
  const runners = await jobs.runners();
  const capable = runners.filter((r) => r.tools.includes(job.tool)).length;
  const waited = `${settings.queueWaitMs / 1000}s`;
  const message =
    runners.length === 0
      ? `No runner is connected; the ${job.tool} job waited ${waited} and was dropped.`
      : capable === 0
        ? `No connected runner offers ${job.tool} (${nameReasons(whyNotOffered(job.tool, runners))}); the job waited ${waited} and was dropped.`
        : `All runners that can run ${job.tool} stayed busy for ${waited}; the job was dropped.`;
  await jobs.failIfQueued(job.id, errorInfo('NO_RUNNER', message, { details: noRunnerDetails(job.tool, runners, capable) }));
}
