import { hostname } from 'node:os';
import { basename, dirname, extname, join } from 'node:path';
import { ConfigError } from '../shared/config/env-schema';

/** What a replica id may hold: it becomes part of a file name (docs/design.md, "Broker": audit per replica). */
const REPLICA_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/**
 * This API process's replica id: MCP_REPLICA_ID when set; with a shared broker (REDIS_URL) and no MCP_REPLICA_ID,
 * `<hostname>-<pid>`, unique per process, so two replicas never append to one hash chain; a single process without
 * Redis has none (its audit file is MCP_AUDIT_FILE itself, as before). Set MCP_REPLICA_ID to a stable name (the pod
 * or service name) for one chain per replica that continues across restarts.
 */
export function resolveReplicaId(env: Readonly<Record<string, string | undefined>>, host = hostname(), pid = process.pid): string | undefined {
  const given = env['MCP_REPLICA_ID'];
  if (given !== undefined && given !== '') {
    if (!REPLICA_ID.test(given)) throw new ConfigError(`MCP_REPLICA_ID: "${given}" is not 1–64 letters, digits, dots, dashes or underscores`);
    return given;
  }
  if (env['REDIS_URL'] === undefined || env['REDIS_URL'] === '') return undefined;
  const safeHost = host.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 48) || 'host';
  return `${safeHost}-${pid}`;
}

/** MCP_AUDIT_FILE for one replica: `audit.log` → `audit.<replica>.log` (no extension: `audit.<replica>`). */
export function replicaAuditPath(auditFile: string, replicaId: string | undefined): string {
  if (replicaId === undefined) return auditFile;
  const ext = extname(auditFile);
  const stem = basename(auditFile, ext);
  return join(dirname(auditFile), `${stem}.${replicaId}${ext}`);
}
