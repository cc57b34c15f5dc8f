import type { JobProgress } from '../../functions/shared/jobs/contract';
import type { RunnerJob } from '../../openapi/sdk/src/runner';
import type { RunnerApi } from './api';
import { failureFields } from './api-error';
import type { Logger } from '../../functions/shared/node/logger';

/**
 * Minimum gap before a heartbeat is sent early for progress, counted from the job's start too: a job that ends
 * within it (ping -c1) never pays for an extra round trip racing its completion.
 */
const PROGRESS_MIN_GAP_MS = 250;

export interface Heartbeat {
  /** Record progress; sent early (throttled) so clients see it promptly. */
  report(progress: JobProgress): void;
  stop(): void;
}

/**
 * Renews the lease every heartbeatIntervalMs (the server sets the cadence) and carries progress.
 * A cancelRequested reply or a lost lease aborts `cancel` with the reason.
 */
export function startHeartbeat(api: RunnerApi, job: RunnerJob, cancel: AbortController, logger: Logger): Heartbeat {
  let latest: JobProgress | undefined;
  let inFlight = false;
  let lastSent = Date.now();
  let lastOk = Date.now();
  let stopped = false;

  const beat = async (): Promise<void> => {
    if (inFlight || stopped) return;
    inFlight = true;
    lastSent = Date.now();
    try {
      const reply = await api.heartbeat(job, latest);
      lastOk = Date.now();
      if (reply === 'lease-lost') cancel.abort('lease-lost');
      else if (reply.cancelRequested) cancel.abort('cancelled');
    } catch (err) {
      logger.warn({ jobId: job.id, ...failureFields(err), lastOkMsAgo: Date.now() - lastOk }, 'heartbeat failed');
    } finally {
      inFlight = false;
    }
  };
  const timer = setInterval(() => void beat(), job.heartbeatIntervalMs);

  return {
    report(progress) {
      latest = progress;
      if (Date.now() - lastSent >= PROGRESS_MIN_GAP_MS) void beat();
    },
    stop() {
      stopped = true;
      clearInterval(timer);
    },
  };
}
