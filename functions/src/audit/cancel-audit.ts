import type { Job } from '../jobs/types';
import type { AuditEntry } from './entry';

/**
 * The audit entry for a cancel request, by whoever asked (DELETE /jobs/{id}, or a caller that closed its held call,
 * e.g. an MCP client's notifications/cancelled). Every request is recorded, also one that changed nothing, so the log
 * shows who tried to stop what. `outcome`: `cancelled` (was queued, ended at once), `cancel-requested` (running; its
 * runner is told now), `cancel-repeated` (already requested), `already-<status>` (had ended before).
 */
export function cancelAudit(principal: string, before: Job, after: Job): AuditEntry {
  const outcome =
    before.status === 'queued'
      ? after.status
      : before.status === 'running'
        ? before.cancelRequested
          ? 'cancel-repeated'
          : 'cancel-requested'
        : `already-${before.status}`;
  return { kind: 'cancel', principal, tool: before.tool, jobId: before.id, target: before.target, outcome };
}
