import type { Broker } from '../src/broker/broker';
import type { AppDeps } from '../src/deps';
import { errorInfo } from '../shared/errors/codes';
import type { JobStore } from '../src/jobs/store';
import { type Job, TERMINAL } from '../src/jobs/types';

const active = async (jobs: JobStore): Promise<Job[]> => (await jobs.list()).filter((j) => !TERMINAL.has(j.status));

/**
 * Drain the API for shutdown: readiness goes 503 and no new work is taken (see middleware/drain-gate.ts); runners
 * parked in a claim are answered now with no job; queued jobs, which no runner will be handed any more, fail with
 * RESOURCE_EXHAUSTED; running jobs get up to `graceMs` to finish. Jobs still running then are ended with
 * RESOURCE_EXHAUSTED, so their held calls get an answer before the server closes. Returns how many were cut short.
 */
export async function drainJobs(deps: Pick<AppDeps, 'jobs' | 'lifecycle' | 'logger'> & { broker?: Pick<Broker, 'kind'> }, graceMs: number): Promise<number> {
  const { jobs, logger } = deps;
  deps.lifecycle.draining = true;
  jobs.close();
  if (deps.broker && deps.broker.kind !== 'memory') return drainShared(jobs, logger, graceMs);
  for (const job of await jobs.list({ status: 'queued' })) {
    await jobs.failIfQueued(
      job.id,
      errorInfo('RESOURCE_EXHAUSTED', 'The server is shutting down; the job was not started.', {
        recoverySuggestion: 'Call again in a moment: the server is restarting or another instance will take the call.',
      }),
    );
  }
  const running = await active(jobs);
  logger.info({ runningJobs: running.length, graceMs }, 'draining: no new calls; running jobs may finish');
  if (running.length > 0 && graceMs > 0) {
    const grace = AbortSignal.timeout(graceMs);
    await Promise.allSettled(running.map((j) => jobs.waitForEnd(j.id, grace)));
  }
  const left = await active(jobs);
  for (const job of left) {
    await jobs.expire(
      job.id,
      errorInfo('RESOURCE_EXHAUSTED', `The server shut down before the job finished (shutdown grace ${graceMs / 1000}s).`, {
        recoverySuggestion: 'Call again once the server is back.',
      }),
    );
  }
  if (left.length > 0) logger.warn({ jobs: left.map((j) => j.id) }, 'shutdown grace over: unfinished jobs ended');
  // A claim that was already past the drain gate when draining began may have parked since.
  jobs.close();
  return left.length;
}

/**
 * With a shared broker (Redis) the jobs are not this process's to end (docs/design.md, "Broker"): queued ones wait
 * for any replica's runners, running ones report through any replica. Draining only gives the calls held here up to
 * `graceMs` to get their answer; a broker that is down does not stop the shutdown.
 */
async function drainShared(jobs: JobStore, logger: AppDeps['logger'], graceMs: number): Promise<number> {
  try {
    const running = await active(jobs);
    logger.info({ runningJobs: running.length, graceMs }, 'draining: no new calls; jobs stay in the shared broker');
    if (running.length > 0 && graceMs > 0) {
      const grace = AbortSignal.timeout(graceMs);
      await Promise.allSettled(running.map((j) => jobs.waitForEnd(j.id, grace)));
    }
  } catch (err) {
    logger.warn({ err }, 'draining: the shared broker is unavailable; jobs stay in it');
  }
  jobs.close();
  return 0;
}
