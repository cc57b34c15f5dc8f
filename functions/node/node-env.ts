import { z } from 'zod';
import { envInt, parseEnv } from '../shared/config/env-schema';

/** Settings only the Node entry reads (files, signals); the runtime-neutral ones are in src/config/settings.ts. */
export const NodeEnvSchema = z.object({
  /** Token records as a JSON array, instead of a file (containers, secret managers). */
  MCP_TOKENS: z.string().optional(),
  MCP_TOKENS_FILE: z.string().optional(),
  /** Append-only, hash-chained audit log (JSON lines); auditing is off when unset. */
  MCP_AUDIT_FILE: z.string().optional(),
  /** How long running jobs may take to finish after SIGTERM/SIGINT before the API exits anyway. */
  MCP_SHUTDOWN_GRACE_SEC: envInt(30, 0, 3600),
});

export interface NodeSettings {
  tokensJson: string | undefined;
  tokensFile: string | undefined;
  auditFile: string | undefined;
  shutdownGraceMs: number;
}

/** Parse the Node-only settings; a bad value is a ConfigError naming the variable. Empty values count as unset. */
export function parseNodeSettings(env: Readonly<Record<string, string | undefined>>): NodeSettings {
  const e = parseEnv(NodeEnvSchema, env);
  return {
    tokensJson: e.MCP_TOKENS,
    tokensFile: e.MCP_TOKENS_FILE,
    auditFile: e.MCP_AUDIT_FILE,
    shutdownGraceMs: e.MCP_SHUTDOWN_GRACE_SEC * 1000,
  };
}
