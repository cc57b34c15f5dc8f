/**
 * Where audit records go on Workers (docs/security.md, "Audit"; docs/design.md, "Workers"): one JSON line per entry
 * on the console, marked `"audit": true`, which Workers Logs keeps and Logpush can ship to the operator's store. There
 * is no file to append to, so unlike the Node entry's log the lines are not hash-chained: their integrity is the log
 * pipeline's.
 */
import type { AuditEntry, AuditSink } from '../src/audit/entry';

export function consoleAudit(): AuditSink {
  return (entry: AuditEntry) => console.log(JSON.stringify({ audit: true, time: new Date().toISOString(), ...entry }));
}
