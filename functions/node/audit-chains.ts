import { existsSync, readdirSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { type ChainReport, verifyAuditFile } from './audit-verify-file';

export interface ChainResult {
  file: string;
  report: ChainReport;
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Every hash chain of one audit log: MCP_AUDIT_FILE itself if it exists, and each replica's file next to it
 * (`audit.<replica>.log`, replica-id.ts), sorted by name. Several replicas keep one chain each (docs/security.md, "Service").
 */
export function findAuditChains(auditFile: string): string[] {
  const dir = dirname(auditFile);
  const ext = extname(auditFile);
  const stem = basename(auditFile, ext);
  const replica = new RegExp(`^${escape(stem)}\\.[A-Za-z0-9][A-Za-z0-9._-]{0,63}${escape(ext)}$`);
  const names = existsSync(dir) ? readdirSync(dir).filter((n) => replica.test(n) && n !== basename(auditFile)) : [];
  const files = names.sort().map((n) => join(dir, n));
  return existsSync(auditFile) ? [auditFile, ...files] : files;
}

/** Verify every chain found; a file that cannot be read throws (the caller reports it, exit 2). */
export async function verifyAuditChains(auditFile: string): Promise<ChainResult[]> {
  const results: ChainResult[] = [];
  for (const file of findAuditChains(auditFile)) results.push({ file, report: await verifyAuditFile(file) });
  return results;
}
