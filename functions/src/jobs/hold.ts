import { ApiError } from '../errors/api-error';
import { errorInfo } from '../errors/codes';
import type { JobStore } from './store';
import type { Job } from './types';

/** Time the API waits beyond the job's own deadline for the runner's report before answering TIMEOUT itself. */
export const REPORT_GRACE_MS = 5000;

export interface HoldSettings {
  queueWaitMs: number;
}

/**
 * Hold a synchronous call until its job ends. A job no runner claims within `queueWaitMs` fails with NO_RUNNER;
 * a job still running past its deadline is cancelled with TIMEOUT; a caller that goes away cancels the job.
 */
export async function holdUntilDone(jobs: JobStore, job: Job, settings: HoldSettings, signal: AbortSignal): Promise<Job> {
  const timers: Array<ReturnType<typeof setTimeout>> = [];
  const stop = new AbortController();
  const onCallerGone = (): void => stop.abort(new Error('caller went away'));
  signal.addEventListener('abort', onCallerGone, { once: true });
  try {
    timers.push(setTimeout(() => void noRunner(jobs, job, settings), settings.queueWaitMs));
    const deadline = new Promise<Job>((resolve) => {
      timers.push(
        setTimeout(() => {
          const error = errorInfo('TIMEOUT', `${job.tool} did not finish within ${job.timeoutSec}s.`);
          void jobs.cancel(job.id, error).then((j) => resolve({ ...(j ?? job), status: 'failed', error }));
        }, settings.queueWaitMs + job.timeoutSec * 1000 + REPORT_GRACE_MS),
      );
    });
    return await Promise.race([jobs.waitForEnd(job.id, stop.signal), deadline]);
  } catch (err) {
    if (!stop.signal.aborted) throw err;
    await jobs.cancel(job.id, errorInfo('CANCELLED', 'The caller closed the request.'));
    throw ApiError.of('CANCELLED', 'The request was closed before the job finished; the job was cancelled.');
  } finally {
    for (const t of timers) clearTimeout(t);
    signal.removeEventListener('abort', onCallerGone);
  }
}

async function noRunner(jobs: JobStore, job: Job, settings: HoldSettings): Promise<void> {
  const runners = await jobs.runners();
  const capable = runners.filter((r) => r.tools.includes(job.tool)).length;
  const message =
    runners.length === 0
      ? `No runner is connected; the ${job.tool} job waited ${settings.queueWaitMs / 1000}s and was dropped.`
      : capable === 0
        ? `No connected runner can run ${job.tool}; the job waited ${settings.queueWaitMs / 1000}s and was dropped.`
        : `All runners that can run ${job.tool} stayed busy for ${settings.queueWaitMs / 1000}s; the job was dropped.`;
  await jobs.failIfQueued(job.id, errorInfo('NO_RUNNER', message, { details: { connectedRunners: runners.length, capableRunners: capable } }));
}
