import type { RunnerJob } from '../../openapi/sdk/src/runner';
import type { RunnerApi } from './api';
import { isUnrecoverable } from './api-error';
import type { Logger } from '../../functions/shared/node/logger';
import type { BreakerState } from './resilience/tool-guards';
import { Slots } from './slots';
import { markStage } from '../../functions/shared/telemetry/stage-times';

export interface PollLoopOptions {
  api: RunnerApi;
  tools: readonly string[];
  capacity: number;
  longPollMs: number;
  logger: Logger;
  run: (job: RunnerJob) => Promise<void>;
  /** Circuit breaker states to report with each claim (for the API's /metrics). */
  breakers?: (() => Record<string, BreakerState>) | undefined;
}

/**
 * Claims jobs while a slot is free and starts each without waiting for it, so a claim is already parked
 * at the API when the next job arrives. Resolves when `stop` aborts and every running job has finished;
 * rejects on an unrecoverable answer (401/403).
 */
export async function pollLoop(options: PollLoopOptions, stop: AbortSignal): Promise<void> {
  const slots = new Slots(options.capacity);
  while (!stop.aborted) {
    await slots.acquire(stop);
    if (stop.aborted) break;
    let job: RunnerJob | null;
    try {
      job = await options.api.claim(options.tools, options.longPollMs, stop, options.breakers?.());
    } catch (err) {
      slots.release();
      if (isUnrecoverable(err)) throw err;
      options.logger.error({ err: String(err) }, 'claim loop error');
      continue;
    }
    if (!job) {
      slots.release();
      continue;
    }
    markStage(job.id, 'runner.received');
    options.logger.debug({ jobId: job.id, tool: job.tool, attempt: job.attempt }, 'job claimed');
    void options.run(job).finally(() => slots.release());
  }
  await slots.drained();
}
