import type { JobView } from '../schemas/job';
import type { Job } from './types';

const iso = (ms: number | undefined): string | undefined => (ms === undefined ? undefined : new Date(ms).toISOString());

/** The public shape of a job: no lease ids. */
export function toJobView(job: Job): JobView {
  const view: JobView = {
    id: job.id,
    tool: job.tool,
    status: job.status,
    target: job.target,
    principal: job.principal,
    params: job.params,
    createdAt: new Date(job.createdAt).toISOString(),
    attempts: job.attempts,
  };
  const optional = {
    claimedAt: iso(job.claimedAt),
    finishedAt: iso(job.finishedAt),
    runnerId: job.runnerId,
    progress: job.progress,
    resolvedAddress: job.resolvedAddress,
    durationMs: job.durationMs,
    result: job.result,
    error: job.error,
  };
  for (const [k, v] of Object.entries(optional)) if (v !== undefined) Object.assign(view, { [k]: v });
  return view;
}
