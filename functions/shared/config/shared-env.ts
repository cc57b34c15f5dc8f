import { DEFAULT_ALLOWED_TARGETS } from '../policy/ranges';
import { LogLevelSchema, envBool, envInt } from './env-schema';
import { z } from 'zod';

/**
 * The env keys the API and the runner both read, declared once. Each side reads its own environment: the runner
 * never takes its policy from the API (docs/security.md, "Two checks").
 */
export const SharedEnvShape = {
  MCP_ALLOWED_TARGETS: z.string().default(DEFAULT_ALLOWED_TARGETS),
  MCP_ALLOW_LOOPBACK: envBool(false),
  MCP_MAX_CIDR_HOSTS: envInt(1024, 1, 1024),
  /** Longest a runner's claim is held open (API) and asked for (runner). */
  MCP_RUNNER_LONG_POLL_SEC: envInt(25, 1, 120),
  /** The file's security.allow_intrusive (docs/design.md, "Configuration"): intrusive nmap scan types and script categories (docs/security.md, "Arguments"). */
  MCP_ALLOW_INTRUSIVE: envBool(false),
  LOG_LEVEL: LogLevelSchema,
  /** Custom tools: a directory of tool folders or an npm package name (functions/shared/node/tools-package). Node entries only: Workers serves the built-in list. */
  TOOLS_PACKAGE: z.string().optional(),
};
