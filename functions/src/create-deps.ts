import { type Sha256Hex, type TokenRecord, createTokenVerifier } from './auth/tokens';
import { clampConfig } from '../shared/config/clamp';
import { type ConfigOrigin, buildConfigReport } from './config/config-report';
import { policyFromSettings } from '../shared/policy/from-settings';
import { type ApiSettings, parseApiSettings } from './config/settings';
import { type AppDeps, type Logger, silentLogger } from './deps';
import type { HealthCheck } from './health/checks';
import type { ServiceEventLog } from './events/service-event-log';
import type { Broker } from './broker/broker';
import { createMemoryBroker } from './broker/memory-broker';
import { McpSessions } from './mcp-http/sessions';
import { createRateLimiter } from './ratelimit/create-rate-limiter';
import type { JobStore } from './jobs/store';
import { ToolRegistry } from './registry/tool-registry';
import type { ToolStateStore } from './registry/tool-state-store';
import type { RateBuckets } from './ratelimit/rate-buckets';
import { createApiTelemetry } from './telemetry/api-telemetry';
import { toolDefinitions } from '../tools/index';
import type { AnyToolDefinition } from '../shared/tool/definition';

export interface CreateDepsInput {
  /** Environment-style settings (env > file > defaults is resolved by the caller). */
  env: Readonly<Record<string, string | undefined>>;
  tokens: readonly TokenRecord[];
  version: string;
  logger?: Logger;
  hash?: Sha256Hex;
  /** Another job store (tests); in memory when omitted. */
  jobs?: (settings: ApiSettings) => JobStore;
  /** The shared state (Redis with REDIS_URL, a Durable Object; docs/design.md, "Broker"); in memory when omitted. */
  broker?: ((settings: ApiSettings) => Broker) | undefined;
  systemStats?: AppDeps['systemStats'];
  audit?: AppDeps['audit'];
  /** Swagger UI files for GET /docs (Node entry); /docs answers 404 without them. */
  docsAssets?: AppDeps['docsAssets'];
  /** Settings fixed by the caller after parsing (tests). */
  overrides?: Partial<ApiSettings>;
  /** Where each setting came from and the start-up warnings (resolveConfig), shown by GET /config. */
  configOrigin?: ConfigOrigin;
  /** Shared rate-limit buckets (the broker's, docs/design.md "Broker"); this process's memory when omitted. */
  rateBuckets?: RateBuckets;
  /** The shared service event log behind GET /events (the broker's); a per-process ring when omitted. */
  serviceEvents?: ServiceEventLog;
  /** The shared tool enable/disable state (the broker's); this process's memory when omitted. */
  toolState?: ToolStateStore;
  /** Clock for the rate limiter (ms); tests inject one. */
  now?: () => number;
  /** GET /metrics from the entry's OpenTelemetry SDK (functions/node/otel.ts); 404 without it. */
  metrics?: AppDeps['metrics'];
  /** Runner mTLS: the Node entry's view of a request's client certificate (functions/node/tls-server.ts). */
  runnerCertificate?: AppDeps['runnerCertificate'];
  /**
   * Tools beyond the built-in ones (TOOLS_PACKAGE, loaded by the Node entry): they join the registry, TOOL_INCLUDE/
   * TOOL_EXCLUDE and the rate limiter like built-ins. Workers passes none: it serves the build-time list only.
   */
  tools?: readonly AnyToolDefinition[];
  /** Checks beyond the built-in ones (operators', tool packages'), run by GET /health. */
  healthChecks?: readonly HealthCheck[];
}

/** Built-in tools first, then the extra ones; a name used twice would make one of them unreachable. */
function allTools(extra: readonly AnyToolDefinition[]): readonly AnyToolDefinition[] {
  if (extra.length === 0) return toolDefinitions;
  const all = [...toolDefinitions, ...extra];
  const names = new Set<string>();
  for (const d of all) {
    if (names.has(d.name)) throw new Error(`createDeps: tool "${d.name}" is defined twice`);
    names.add(d.name);
  }
  return all;
}

/** Everything createApp needs, built the same way by every entry, the spec generator and the tests. */
export function createDeps(input: CreateDepsInput): AppDeps {
  // Entries clamp while resolving env > file > defaults; doing it again here is a no-op for them and covers tests and Workers.
  const clamped = clampConfig(input.env);
  const settings = { ...parseApiSettings(clamped.values), ...input.overrides };
  const origin = input.configOrigin ?? {};
  const tools = allTools(input.tools ?? []);
  const broker = input.broker?.(settings) ?? createMemoryBroker(settings, { jobs: input.jobs?.(settings), now: input.now });
  return {
    settings,
    policy: policyFromSettings(settings),
    registry: new ToolRegistry(tools, { include: settings.toolInclude, exclude: settings.toolExclude, store: input.toolState ?? broker.toolState }),
    events: input.serviceEvents ?? broker.serviceEvents,
    tokens: createTokenVerifier(input.tokens, input.hash),
    broker,
    jobs: broker.jobs,
    logger: input.logger ?? silentLogger,
    version: input.version,
    systemStats: input.systemStats,
    audit: input.audit,
    docsAssets: input.docsAssets,
    rateLimiter: createRateLimiter(
      settings,
      tools.map((d) => d.name),
      input.now,
      input.rateBuckets ?? broker.rateBuckets,
    ),
    config: buildConfigReport(clamped.values, { sources: origin.sources, warnings: [...(origin.warnings ?? []), ...clamped.warnings] }),
    lifecycle: { draining: false },
    mcpSessions: new McpSessions({ max: settings.mcpMaxSessions, idleMs: settings.mcpSessionIdleMs }),
    telemetry: createApiTelemetry(),
    metrics: input.metrics,
    healthChecks: input.healthChecks,
    runnerCertificate: input.runnerCertificate,
  };
}
