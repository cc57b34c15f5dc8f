import type { RunnerApi } from './api';
import { failureFields, isUnrecoverable } from './api-error';
import type { Logger } from '../../functions/shared/node/logger';
import type { RunningJobs } from './running-jobs';
import { sleep } from '../../functions/shared/sleep';

export interface ControlLoopOptions {
  api: RunnerApi;
  running: RunningJobs;
  longPollMs: number;
  logger: Logger;
}

/** An empty answer faster than this means the API does not hold the poll: pause before the next one. */
const TOO_FAST_MS = 50;

/**
 * The push path from API to runner (docs/design.md, "Job protocol"): holds POST /runner/control open and stops a
 * job the moment a `cancel` or `lease-revoked` arrives, instead of at the job's next heartbeat. Heartbeat replies
 * remain the fallback whenever this poll is down. Retries are RunnerApi.control's policy; an older API without the
 * route, or a 401/403, ends the loop (logged) and cancellation rides on heartbeats alone. Resolves when `stop` aborts.
 */
export async function controlLoop(options: ControlLoopOptions, stop: AbortSignal): Promise<void> {
  while (!stop.aborted) {
    const started = performance.now();
    let messages: Awaited<ReturnType<RunnerApi['control']>>;
    try {
      messages = await options.api.control(options.longPollMs, stop);
    } catch (err) {
      if (isUnrecoverable(err)) {
        options.logger.error(failureFields(err), 'control poll refused; cancellation now waits for heartbeats');
        return;
      }
      options.logger.warn(failureFields(err), 'control poll error');
      await sleep(1000, stop);
      continue;
    }
    if (messages === 'unsupported') {
      options.logger.warn({}, 'the API has no /runner/control (older API); cancellation waits for heartbeats');
      return;
    }
    for (const m of messages) {
      const stopped = options.running.stop(m.jobId, m.leaseId, m.type === 'cancel' ? 'cancelled' : 'lease-lost');
      options.logger.info({ jobId: m.jobId, control: m.type, running: stopped }, 'control message');
    }
    if (messages.length === 0 && performance.now() - started < TOO_FAST_MS) await sleep(1000, stop);
  }
}
