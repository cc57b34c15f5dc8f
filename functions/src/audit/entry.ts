/** One audited action. The core produces these; an entry file writes them (append-only, hash-chained). */
export interface AuditEntry {
  /** confirm: an MCP caller was asked to confirm an intrusive scan (outcome confirmed, declined or not-confirmed). */
  kind: 'execute' | 'cancel' | 'enable' | 'disable' | 'confirm';
  principal: string;
  tool?: string | undefined;
  jobId?: string | undefined;
  params?: Record<string, unknown> | undefined;
  target?: string | undefined;
  resolvedAddress?: string | undefined;
  /** e.g. succeeded, failed:TIMEOUT, cancelled, changed. */
  outcome: string;
  durationMs?: number | undefined;
}

export type AuditSink = (entry: AuditEntry) => void;
