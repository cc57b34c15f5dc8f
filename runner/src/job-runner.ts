import { errorInfo } from '../../functions/shared/errors/codes';
import type { JobOutcome, RunnerJob } from '../../openapi/client';
import type { RunnerApi } from './api';
import { type ExecuteDeps, executeJob, failed } from './execute-job';
import { startHeartbeat } from './heartbeat-loop';
import type { Logger } from '../../functions/shared/node/logger';
import { breakerReport } from './telemetry/breaker-report';
import { annotateOutcome } from './telemetry/job-span';

export interface JobRunnerDeps extends ExecuteDeps {
  api: RunnerApi;
  logger: Logger;
}

/**
 * One claimed job from start to report: heartbeats run while it executes (they carry progress and bring
 * cancellation); the report is sent whatever happens, outside the job's cancellation.
 */
export async function runJob(deps: JobRunnerDeps, job: RunnerJob): Promise<void> {
  const cancel = new AbortController();
  const heartbeat = startHeartbeat(deps.api, job, cancel, deps.logger);
  let outcome: JobOutcome;
  try {
    outcome = await executeJob(deps, job, cancel.signal, (p) => heartbeat.report(p));
  } catch (err) {
    deps.logger.error({ jobId: job.id, err: String(err) }, 'job crashed');
    outcome = failed(errorInfo('UNKNOWN', 'The runner failed while running the job.'));
  } finally {
    heartbeat.stop();
  }
  annotateOutcome(outcome);
  deps.logger.info(
    {
      jobId: job.id,
      tool: job.tool,
      status: outcome.status,
      ...(outcome.status === 'failed' ? { code: outcome.error.code } : {}),
      durationMs: Math.round(outcome.durationMs),
    },
    'job finished',
  );
  // The breakers as this outcome left them, so the API's /metrics shows an opened one at once.
  await deps.api
    .complete(job, outcome, deps.guards ? breakerReport(deps.guards.state()) : undefined)
    .catch((err: unknown) => deps.logger.error({ jobId: job.id, err: String(err) }, 'could not report outcome'));
}
