import type { TokenVerifier } from './auth/tokens';
import type { ApiSettings } from './config/settings';
import type { JobStore } from './jobs/store';
import type { TargetPolicy } from './policy/target-policy';
import type { AuditSink } from './audit/entry';
import type { EventBus } from './events/event-bus';
import type { HealthCheck, SystemStats } from './health/checks';
import type { ToolRegistry } from './registry/tool-registry';

/** Minimal structured logger; pino satisfies it in the Node entry. */
export interface Logger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** Everything the app needs from outside; the entry files build it. */
export interface AppDeps {
  settings: ApiSettings;
  policy: TargetPolicy;
  registry: ToolRegistry;
  events: EventBus;
  tokens: TokenVerifier;
  jobs: JobStore;
  logger: Logger;
  version: string;
  /** Process figures for the memory check (Node entry); absent on runtimes without them. */
  systemStats?: (() => SystemStats) | undefined;
  /** Operators' own health checks, run beside the built-in ones. */
  healthChecks?: readonly HealthCheck[] | undefined;
  /** Shared run state: set `draining` during shutdown so /readyz answers 503. */
  lifecycle: { draining: boolean };
  /** Where audit entries go (hash-chained JSON lines in the Node entry); none when absent. */
  audit?: AuditSink | undefined;
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
