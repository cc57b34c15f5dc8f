import { z } from 'zod';
import { ConfigError, envInt, parseEnv } from '../shared/config/env-schema';
import { resolveReplicaId } from './replica-id';

/** Settings only the Node entry reads (files, signals); the runtime-neutral ones are in src/config/settings.ts. */
export const NodeEnvSchema = z.object({
  /** Token records as a JSON array, instead of a file (containers, secret managers). */
  MCP_TOKENS: z.string().optional(),
  MCP_TOKENS_FILE: z.string().optional(),
  /** Append-only, hash-chained audit log (JSON lines); auditing is off when unset. */
  MCP_AUDIT_FILE: z.string().optional(),
  /** This replica's name (replica-id.ts): its audit chain is MCP_AUDIT_FILE with .<id> before the extension. */
  MCP_REPLICA_ID: z.string().optional(),
  /** How long running jobs may take to finish after SIGTERM/SIGINT before the API exits anyway. */
  MCP_SHUTDOWN_GRACE_SEC: envInt(30, 0, 3600),
  /** PEM certificate chain and key: the API serves HTTPS with them (re-read on SIGHUP), plain HTTP without. */
  MCP_TLS_CERT_FILE: z.string().optional(),
  MCP_TLS_KEY_FILE: z.string().optional(),
  /** PEM CA for runner client certificates: /runner/* then also needs a certificate whose CN is the runner id. */
  MCP_RUNNER_CLIENT_CA_FILE: z.string().optional(),
});

export interface NodeSettings {
  tokensJson: string | undefined;
  tokensFile: string | undefined;
  auditFile: string | undefined;
  /** MCP_REPLICA_ID, or `<hostname>-<pid>` with REDIS_URL; none for a single process (replica-id.ts). */
  replicaId: string | undefined;
  shutdownGraceMs: number;
  /** HTTPS when set; both files or neither. */
  tls: { certFile: string; keyFile: string; runnerClientCaFile: string | undefined } | undefined;
}

/** Parse the Node-only settings; a bad value is a ConfigError naming the variable. Empty values count as unset. */
export function parseNodeSettings(env: Readonly<Record<string, string | undefined>>): NodeSettings {
  const e = parseEnv(NodeEnvSchema, env);
  if ((e.MCP_TLS_CERT_FILE === undefined) !== (e.MCP_TLS_KEY_FILE === undefined)) {
    throw new ConfigError('MCP_TLS_CERT_FILE and MCP_TLS_KEY_FILE go together: set both (HTTPS) or neither (plain HTTP)');
  }
  if (e.MCP_RUNNER_CLIENT_CA_FILE !== undefined && e.MCP_TLS_CERT_FILE === undefined) {
    throw new ConfigError('MCP_RUNNER_CLIENT_CA_FILE needs HTTPS: set MCP_TLS_CERT_FILE and MCP_TLS_KEY_FILE too');
  }
  return {
    tokensJson: e.MCP_TOKENS,
    tokensFile: e.MCP_TOKENS_FILE,
    auditFile: e.MCP_AUDIT_FILE,
    replicaId: resolveReplicaId(env),
    shutdownGraceMs: e.MCP_SHUTDOWN_GRACE_SEC * 1000,
    tls:
      e.MCP_TLS_CERT_FILE !== undefined && e.MCP_TLS_KEY_FILE !== undefined
        ? { certFile: e.MCP_TLS_CERT_FILE, keyFile: e.MCP_TLS_KEY_FILE, runnerClientCaFile: e.MCP_RUNNER_CLIENT_CA_FILE }
        : undefined,
  };
}
