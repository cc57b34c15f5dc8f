import type { Logger } from '../shared/logger';
import type { RunnerCertificateOf } from './auth/runner-certificate';
import type { TokenVerifier } from './auth/tokens';
import type { ConfigReport } from './config/config-report';
import type { ApiSettings } from './config/settings';
import type { Broker } from './broker/broker';
import type { JobStore } from './jobs/store';
import type { TargetPolicy } from '../shared/policy/target-policy';
import type { AuditSink } from './audit/entry';
import type { DocsAssets } from './docs/assets';
import type { ServiceEventLog } from './events/service-event-log';
import type { HealthCheck, SystemStats } from './health/checks';
import type { McpSessions } from './mcp-http/sessions';
import type { LocalFeatures } from '../mcp/local-features';
import type { LocalTool } from '../mcp/tool-catalogue';
import type { RateLimiter } from './ratelimit/rate-limiter';
import type { ToolRegistry } from './registry/tool-registry';
import type { ApiTelemetry } from './telemetry/api-telemetry';
import type { MetricsSource } from '../shared/telemetry/metrics-source';

/** Everything the app needs from outside; the entry files build it. */
export interface AppDeps {
  settings: ApiSettings;
  policy: TargetPolicy;
  registry: ToolRegistry;
  /** Service events for /events, /jobs/{id}/events and MCP notifications; shared by replicas with the Redis broker. */
  events: ServiceEventLog;
  tokens: TokenVerifier;
  /** Where shared state lives (memory, Redis, Durable Object; docs/design.md, "Broker"); `jobs` is `broker.jobs`. */
  broker: Broker;
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
  /** Swagger UI files for GET /docs (the Node entry reads them); /docs answers 404 when absent (Workers). */
  docsAssets?: DocsAssets | undefined;
  /** Per principal and tool limit on POST /tools/{name}/execute; no limit when absent. */
  rateLimiter?: RateLimiter | undefined;
  /** The effective configuration with its sources, secrets redacted, for GET /config. */
  config?: ConfigReport | undefined;
  /** Open /mcp sessions; the Node entry closes them at shutdown. */
  mcpSessions: McpSessions;
  /** MCP conformance fixtures, answered by /mcp itself. Only the conformance test entry sets this; no production entry can. */
  mcpLocalTools?: readonly LocalTool[] | undefined;
  /** MCP conformance fixture resources, templates and prompts; like mcpLocalTools, set by the conformance entry only. */
  mcpLocalFeatures?: LocalFeatures | undefined;
  /** Job spans in flight and runner-reported breaker states (spans and metrics go through @opentelemetry/api). */
  telemetry: ApiTelemetry;
  /** What GET /metrics serves, from the entry's OpenTelemetry SDK; /metrics answers 404 when absent (Workers). */
  metrics?: MetricsSource | undefined;
  /** Runner mTLS (MCP_RUNNER_CLIENT_CA_FILE, Node entry): a request's verified client certificate; off when absent. */
  runnerCertificate?: RunnerCertificateOf | undefined;
}

export { type Logger, silentLogger } from '../shared/logger';
