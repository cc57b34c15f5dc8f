import { z } from 'zod';
import { AllowlistError, parseAllowlist } from '../policy/allowlist';
import { DEFAULT_ALLOWED_TARGETS } from '../policy/ranges';
import { TargetPolicy } from '../policy/target-policy';
import { ConfigError, envBool, envInt, parseEnv } from './env-schema';

const ApiEnvSchema = z.object({
  MCP_SERVER_HOST: z.string().default('127.0.0.1'),
  MCP_SERVER_PORT: envInt(8080, 0, 65535),
  MCP_ALLOWED_TARGETS: z.string().default(DEFAULT_ALLOWED_TARGETS),
  MCP_ALLOW_LOOPBACK: envBool(false),
  MCP_MAX_CIDR_HOSTS: envInt(1024, 1, 1024),
  /** How long a job waits for a runner before the call fails with NO_RUNNER. */
  MCP_QUEUE_WAIT_SEC: envInt(15, 1, 3600),
  /** Longest a runner's claim is held open. */
  MCP_RUNNER_LONG_POLL_SEC: envInt(25, 1, 120),
  MCP_RUNNER_LEASE_SEC: envInt(15, 1, 600),
  MCP_MAX_QUEUED_JOBS: envInt(1000, 1, 100000),
  MCP_TOKENS_FILE: z.string().optional(),
  /** The original design's security.allow_intrusive: intrusive nmap scan types and script categories. */
  MCP_ALLOW_INTRUSIVE: envBool(false),
  TOOL_INCLUDE: z.string().optional(),
  TOOL_EXCLUDE: z.string().optional(),
  LOG_LEVEL: z.string().default('info').pipe(z.string().toLowerCase().pipe(z.enum(['trace', 'debug', 'info', 'warn', 'warning', 'error', 'critical', 'fatal', 'silent']))),
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
  };
}

/** The target policy from settings; a bad allowlist is a ConfigError. */
export function policyFromSettings(s: Pick<ApiSettings, 'allowedTargets' | 'allowLoopback' | 'maxCidrHosts'>): TargetPolicy {
  try {
    return new TargetPolicy({ allowlist: parseAllowlist(s.allowedTargets, s.allowLoopback), maxHosts: s.maxCidrHosts });
  } catch (err) {
    if (err instanceof AllowlistError) throw new ConfigError(err.message);
    throw err;
  }
}
