import { type Sha256Hex, type TokenRecord, createTokenVerifier } from './auth/tokens';
import { type ApiSettings, parseApiSettings, policyFromSettings } from './config/settings';
import { type AppDeps, type Logger, silentLogger } from './deps';
import { EventBus } from './events/event-bus';
import { MemoryJobStore } from './jobs/memory-store';
import type { JobStore } from './jobs/store';
import { ToolRegistry } from './registry/tool-registry';
import { toolDefinitions } from './tools/index';

export interface CreateDepsInput {
  /** Environment-style settings (env > file > defaults is resolved by the caller). */
  env: Readonly<Record<string, string | undefined>>;
  tokens: readonly TokenRecord[];
  version: string;
  logger?: Logger;
  hash?: Sha256Hex;
  /** Another store (Redis, Durable Object); in memory when omitted. */
  jobs?: (settings: ApiSettings) => JobStore;
  systemStats?: AppDeps['systemStats'];
  audit?: AppDeps['audit'];
  /** Settings fixed by the caller after parsing (tests). */
  overrides?: Partial<ApiSettings>;
}

/** Everything createApp needs, built the same way by every entry, the spec generator and the tests. */
export function createDeps(input: CreateDepsInput): AppDeps {
  const settings = { ...parseApiSettings(input.env), ...input.overrides };
  return {
    settings,
    policy: policyFromSettings(settings),
    registry: new ToolRegistry(toolDefinitions, { include: settings.toolInclude, exclude: settings.toolExclude }),
    events: new EventBus(),
    tokens: createTokenVerifier(input.tokens, input.hash),
    jobs: input.jobs?.(settings) ?? new MemoryJobStore({ leaseMs: settings.leaseMs, maxQueued: settings.maxQueuedJobs, maxRetained: 10_000 }),
    logger: input.logger ?? silentLogger,
    version: input.version,
    systemStats: input.systemStats,
    audit: input.audit,
    lifecycle: { draining: false },
  };
}
