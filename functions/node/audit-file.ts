import { closeSync, openSync, writeSync } from 'node:fs';
import type { AuditEntry, AuditSink } from '../src/audit/entry';
import { ConfigError } from '../shared/config/env-schema';
import type { Logger } from '../src/deps';
import { GENESIS_HASH, lineHash, sealLine } from './audit-chain';
import { readAuditTail } from './audit-tail';
import { replicaAuditPath } from './replica-id';

export interface AuditFile {
  sink: AuditSink;
  close(): void;
}

/** The columns every line carries, in this order; absent values are null so every line has the same shape. */
function toRecord(entry: AuditEntry, time: Date): Record<string, unknown> {
  return {
    time: time.toISOString(),
    kind: entry.kind,
    principal: entry.principal,
    tool: entry.tool ?? null,
    jobId: entry.jobId ?? null,
    params: entry.params ?? null,
    target: entry.target ?? null,
    resolvedAddress: entry.resolvedAddress ?? null,
    outcome: entry.outcome,
    durationMs: entry.durationMs ?? null,
  };
}

/** The string in one write (no Buffer copy: the line is on the held call's path, issue 12); a short write goes on from where it stopped. */
function writeAll(fd: number, text: string): void {
  const written = writeSync(fd, text);
  if (written === Buffer.byteLength(text, 'utf8')) return;
  const buf = Buffer.from(text, 'utf8');
  for (let off = written; off < buf.length;) off += writeSync(fd, buf, off);
}

/**
 * Append audit entries to `path` as hash-chained JSON lines (see audit-chain.ts), continuing the chain from the
 * file's last line. The file is opened append-only ('a', mode 0600). Each entry is written synchronously before the
 * sink returns: nothing is buffered in memory and lines land in the order they were chained. A failed write is
 * logged with the entry and never thrown; the next write re-reads the file's end and carries on from what is there.
 * Opening the file at start-up is the one failure that stops the API (ConfigError).
 */
export function openAuditFile(path: string, logger: Logger, now: () => Date = () => new Date()): AuditFile {
  let fd: number | undefined;
  let prevHash = GENESIS_HASH;
  let resync = true;
  const catchUp = (): void => {
    const tail = readAuditTail(path);
    if (!tail.terminated) {
      logger.warn({ auditFile: path }, 'audit log ends in a cut-short line; continuing after it (audit:verify will report that line)');
      writeAll(fd as number, '\n');
    }
    prevHash = tail.lastLine === undefined ? GENESIS_HASH : lineHash(tail.lastLine);
    resync = false;
  };
  try {
    fd = openSync(path, 'a', 0o600);
    catchUp();
  } catch (err) {
    if (fd !== undefined) closeSync(fd);
    throw new ConfigError(`MCP_AUDIT_FILE: cannot open ${path} for appending (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  const sink: AuditSink = (entry) => {
    try {
      if (fd === undefined) throw new Error('audit file is closed');
      if (resync) catchUp();
      const line = sealLine(toRecord(entry, now()), prevHash);
      writeAll(fd, `${line}\n`);
      prevHash = lineHash(line);
    } catch (err) {
      resync = true;
      logger.error({ err, auditFile: path, audit: entry }, 'audit write failed; entry not recorded in the audit file');
    }
  };
  return {
    sink,
    close(): void {
      if (fd !== undefined) closeSync(fd);
      fd = undefined;
    },
  };
}

/**
 * The API's audit sink from MCP_AUDIT_FILE; without it, one warning and no auditing. With a replica id each replica
 * appends to its own chain, `audit.<replica>.log` (replica-id.ts): two processes appending to one file would each chain
 * from their own last line and break the chain for both. `npm run audit:verify` checks every chain (audit-chains.ts).
 */
export function auditFromSettings(auditFile: string | undefined, logger: Logger, replicaId?: string): AuditFile | undefined {
  if (auditFile === undefined) {
    logger.warn({}, 'MCP_AUDIT_FILE is not set: auditing is off');
    return undefined;
  }
  const path = replicaAuditPath(auditFile, replicaId);
  if (replicaId !== undefined) logger.info({ auditFile: path, replicaId }, 'audit chain of this replica');
  return openAuditFile(path, logger);
}
