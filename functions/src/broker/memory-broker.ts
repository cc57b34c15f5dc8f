import type { ApiSettings } from '../config/settings';
import { MemoryServiceEventLog } from '../events/service-event-log';
import { MemoryJobStore } from '../jobs/memory-store';
import type { JobStore } from '../jobs/store';
import { MemoryRateBuckets } from '../ratelimit/rate-buckets';
import { MemoryToolStateStore } from '../registry/tool-state-store';
import type { Broker } from './broker';

/** Finished jobs the in-memory store keeps for GET /jobs. */
export const MEMORY_MAX_RETAINED = 10_000;

export interface MemoryBrokerOptions {
  /** Another job store (tests). */
  jobs?: JobStore | undefined;
  /** Clock for the rate-limit buckets (tests). */
  now?: (() => number) | undefined;
}

/** Today's single-process state: the default for `npm start`, tests and Workers (docs/design.md, "Broker"). */
export function createMemoryBroker(settings: Pick<ApiSettings, 'leaseMs' | 'maxQueuedJobs'>, options: MemoryBrokerOptions = {}): Broker {
  const jobs = options.jobs ?? new MemoryJobStore({ leaseMs: settings.leaseMs, maxQueued: settings.maxQueuedJobs, maxRetained: MEMORY_MAX_RETAINED });
  const serviceEvents = new MemoryServiceEventLog();
  const toolState = new MemoryToolStateStore();
  return {
    kind: 'memory',
    jobs,
    rateBuckets: new MemoryRateBuckets({ now: options.now }),
    serviceEvents,
    toolState,
    health: async () => ({ ok: true, detail: 'State is kept in this process (memory): one replica, lost on restart.' }),
    close: async () => {
      jobs.close();
      await Promise.all([serviceEvents.close(), toolState.close()]);
    },
  };
}
