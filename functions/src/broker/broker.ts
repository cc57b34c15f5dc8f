import type { ServiceEventLog } from '../events/service-event-log';
import type { JobStore } from '../jobs/store';
import type { RateBuckets } from '../ratelimit/rate-buckets';
import type { ToolStateStore } from '../registry/tool-state-store';

/** What the broker says about itself for GET /health: `detail` names the cause when `ok` is false (docs/design.md, "Broker"). */
export interface BrokerStatus {
  ok: boolean;
  detail: string;
}

/**
 * The one place the API's shared state goes through (docs/design.md, "Broker"): in memory for one process (the
 * default), Redis when REDIS_URL is set, a Durable Object on Workers. Web-standard types only, so every runtime
 * can implement it.
 */
export interface Broker {
  /** Which implementation: `memory` state dies with the process; the others outlive it and are shared by replicas. */
  readonly kind: 'memory' | 'redis' | 'durable-object';
  /** Queue, leases, parked claims, job records, idempotency keys, runner roster, control messages, job events. */
  jobs: JobStore;
  /** Rate-limit token buckets (per principal and tool). */
  rateBuckets: RateBuckets;
  /** The service event log behind /events, /jobs/{id}/events and MCP notifications. */
  serviceEvents: ServiceEventLog;
  /** Which tools are enabled. */
  toolState: ToolStateStore;
  health(): Promise<BrokerStatus>;
  /** Stop timers and close connections (shutdown). */
  close(): Promise<void>;
}
