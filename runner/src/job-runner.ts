import { errorInfo } from '../../functions/shared/errors/codes';
import type { JobOutcome, RunnerJob } from '../../openapi/sdk/src/runner';
import type { RunnerApi } from './api';
import { type ExecuteDeps, executeJob, failed } from './execute-job';
import { startHeartbeat } from './heartbeat-loop';
import type { RunningJobs } from './running-jobs';
import type { Logger } from '../../functions/shared/node/logger';
import { breakerReport } from './telemetry/breaker-report';
import { annotateOutcome } from './telemetry/job-span';
import { markStage } from '../../functions/shared/telemetry/stage-times';
import { traceLogFields } from '../../functions/shared/telemetry/log-fields';
import { holdPostJobWork } from './post-job-work';

export interface JobRunnerDeps extends ExecuteDeps {
  api: RunnerApi;
  logger: Logger;
  /** Where the control loop finds this job to stop it at once; absent, cancellation rides on heartbeats alone. */
  running?: RunningJobs | undefined;
}

/**
 * One claimed job from start to report: heartbeats run while it executes (they carry progress and bring
 * cancellation when the control loop is down); the control loop stops it at once through `running`; the report
 * is sent whatever happens, outside the job's cancellation.
 */
export async function runJob(deps: JobRunnerDeps, job: RunnerJob): Promise<void> {
  const cancel = new AbortController();
  const heartbeat = startHeartbeat(deps.api, job, cancel, deps.logger);
  const forget = deps.running?.add(job.id, job.leaseId, cancel);
  // The job's clean-up and the next warm process wait for the report's acknowledgement (post-job-work.ts, issue 12).
  const post = holdPostJobWork();
  let outcome: JobOutcome;
  try {
    outcome = await executeJob(deps, job, cancel.signal, (p) => heartbeat.report(p), post.later);
  } catch (err) {
    deps.logger.error({ jobId: job.id, err: String(err) }, 'job crashed');
    outcome = failed(errorInfo('UNKNOWN', 'The runner failed while running the job.'));
  } finally {
    heartbeat.stop();
    forget?.();
  }
  annotateOutcome(job.id, outcome);
  const finished = {
    jobId: job.id,
    tool: job.tool,
    status: outcome.status,
    ...(outcome.status === 'failed' ? { code: outcome.error.code } : {}),
    durationMs: Math.round(outcome.durationMs),
  };
  // Written once the report is acknowledged: the logger writes synchronously to its file (issue 12).
  // Its trace ids are taken now: by the time the line is written the job's run span has ended (job-span.ts).
  const traced = { ...finished, ...traceLogFields(finished) };
  post.later(() => deps.logger.info(traced, 'job finished'));
  post.reportPosted();
  // The breakers as this outcome left them, so the API's /metrics shows an opened one at once.
  markStage(job.id, 'runner.completePosted');
  try {
    await deps.api
      .complete(job, outcome, deps.guards ? breakerReport(deps.guards.state()) : undefined)
      .catch((err: unknown) => deps.logger.error({ jobId: job.id, err: String(err) }, 'could not report outcome'));
    markStage(job.id, 'runner.completeAcked');
  } finally {
    post.release();
  }
}
