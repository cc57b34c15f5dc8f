import { z } from 'zod';
import { SharedEnvShape } from '../../shared/config/shared-env';
import { MAX_RATE_LIMIT, RateLimitsSchema } from '../ratelimit/limit-spec';
import { envBool, envInt, parseEnv } from '../../shared/config/env-schema';
import { DEFAULT_MCP_ALLOWED_HOSTS, DEFAULT_MCP_ALLOWED_ORIGINS, parseAddressRules } from '../mcp-http/host-origin';

/** A comma-separated Host or Origin list for /mcp, checked at start-up. */
const addressList = (def: string, kind: 'host' | 'origin') =>
  z
    .string()
    .default(def)
    .superRefine((v, ctx) => {
      try {
        parseAddressRules(v, kind);
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: (err as Error).message });
      }
    });

export const ApiEnvSchema = z.object({
  ...SharedEnvShape,
  MCP_SERVER_HOST: z.string().default('127.0.0.1'),
  MCP_SERVER_PORT: envInt(8080, 0, 65535),
  /** How long a job waits for a runner before the call fails with NO_RUNNER. */
  MCP_QUEUE_WAIT_SEC: envInt(15, 1, 3600),
  MCP_RUNNER_LEASE_SEC: envInt(15, 1, 600),
  MCP_MAX_QUEUED_JOBS: envInt(1000, 1, 100000),
  MCP_TOKENS_FILE: z.string().optional(),
  TOOL_INCLUDE: z.string().optional(),
  TOOL_EXCLUDE: z.string().optional(),
  /** Where the file layer came from (read by the entry; shown by GET /config). */
  MCP_CONFIG_FILE: z.string().optional(),
  /** Tool calls per 60 s per token and tool (token bucket); 0 = off. Clamped 0–10000. */
  MCP_RATE_LIMIT_PER_MINUTE: envInt(10, 0, MAX_RATE_LIMIT),
  /** Per-tool limits replacing the global one, e.g. "nmap=2,ping=60". */
  MCP_RATE_LIMITS: RateLimitsSchema,
  /** Largest tool-call request body in bytes (the design's max argument length). Clamped 1024–65536. */
  MCP_MAX_ARGS_LEN: envInt(2048, 1024, 65_536),
  /** Global default timeout for a tool that declares none (every built-in tool declares its own). Clamped 60–3600. */
  MCP_DEFAULT_TIMEOUT_SEC: envInt(300, 60, 3600),
  /** /mcp: Host header values it answers to (host or host:port; no port = any), and browser Origins it accepts. */
  MCP_ALLOWED_HOSTS: addressList(DEFAULT_MCP_ALLOWED_HOSTS, 'host'),
  MCP_ALLOWED_ORIGINS: addressList(DEFAULT_MCP_ALLOWED_ORIGINS, 'origin'),
  /** /mcp: open sessions at most, and how long one may stay without a request before it is closed. */
  MCP_MAX_SESSIONS: envInt(100, 1, 10_000),
  MCP_SESSION_IDLE_SEC: envInt(1800, 60, 86_400),
  /** GET /docs, its files and GET /openapi.json without a token (a browser cannot send one); false gates them on tools:read. */
  MCP_DOCS_PUBLIC: envBool(true),
  /**
   * Shared state (docs/design.md, "Broker"): jobs, leases, runners and events in this Redis, so several replicas
   * share them and they outlive a restart; in this process's memory when unset. Redacted in GET /config.
   */
  REDIS_URL: z.string().url().optional(),
  /** Prefix of every Redis key, so several deployments can share one Redis. */
  REDIS_PREFIX: z.string().min(1).max(64).default('netdiag:'),
  /** Ended jobs are dropped this long after they end (besides the count bound); 0 = count bound only. Redis only. */
  JOB_RETENTION_SEC: envInt(0, 0, 31_536_000),
});

export type ApiEnv = z.output<typeof ApiEnvSchema>;

/** Effective API settings, read once at start-up. */
export interface ApiSettings {
  host: string;
  port: number;
  queueWaitMs: number;
  longPollMs: number;
  leaseMs: number;
  maxQueuedJobs: number;
  tokensFile: string | undefined;
  logLevel: string;
  allowedTargets: string;
  allowLoopback: boolean;
  maxCidrHosts: number;
  allowIntrusive: boolean;
  toolInclude: string | undefined;
  toolExclude: string | undefined;
  rateLimitPerMinute: number;
  rateLimits: Readonly<Record<string, number>>;
  maxArgsLen: number;
  defaultTimeoutSec: number;
  mcpAllowedHosts: string;
  mcpAllowedOrigins: string;
  mcpMaxSessions: number;
  mcpSessionIdleMs: number;
  docsPublic: boolean;
  redisUrl: string | undefined;
  redisPrefix: string;
  jobRetentionMs: number;
}

export function parseApiSettings(env: Readonly<Record<string, string | undefined>>): ApiSettings {
  const e = parseEnv(ApiEnvSchema, env);
  return {
    host: e.MCP_SERVER_HOST,
    port: e.MCP_SERVER_PORT,
    queueWaitMs: e.MCP_QUEUE_WAIT_SEC * 1000,
    longPollMs: e.MCP_RUNNER_LONG_POLL_SEC * 1000,
    leaseMs: e.MCP_RUNNER_LEASE_SEC * 1000,
    maxQueuedJobs: e.MCP_MAX_QUEUED_JOBS,
    tokensFile: e.MCP_TOKENS_FILE,
    logLevel: e.LOG_LEVEL,
    allowedTargets: e.MCP_ALLOWED_TARGETS,
    allowLoopback: e.MCP_ALLOW_LOOPBACK,
    maxCidrHosts: e.MCP_MAX_CIDR_HOSTS,
    allowIntrusive: e.MCP_ALLOW_INTRUSIVE,
    toolInclude: e.TOOL_INCLUDE,
    toolExclude: e.TOOL_EXCLUDE,
    rateLimitPerMinute: e.MCP_RATE_LIMIT_PER_MINUTE,
    rateLimits: e.MCP_RATE_LIMITS,
    maxArgsLen: e.MCP_MAX_ARGS_LEN,
    defaultTimeoutSec: e.MCP_DEFAULT_TIMEOUT_SEC,
    mcpAllowedHosts: e.MCP_ALLOWED_HOSTS,
    mcpAllowedOrigins: e.MCP_ALLOWED_ORIGINS,
    mcpMaxSessions: e.MCP_MAX_SESSIONS,
    mcpSessionIdleMs: e.MCP_SESSION_IDLE_SEC * 1000,
    docsPublic: e.MCP_DOCS_PUBLIC,
    redisUrl: e.REDIS_URL,
    redisPrefix: e.REDIS_PREFIX,
    jobRetentionMs: e.JOB_RETENTION_SEC * 1000,
  };
}
