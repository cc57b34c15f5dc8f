import type { CallToolResult, Task } from '@modelcontextprotocol/sdk/types.js';
import type { ToolRenderer } from '../shared/tool/definition';
import { failure, jobLink, toCallToolResult, type FailureHints } from './answers';
import type { JobView } from './api-port';

/** `_meta` key that ties a tasks/result answer to its task (protocol 2025-11-25, basic/utilities/tasks). */
export const RELATED_TASK_META_KEY = 'io.modelcontextprotocol/related-task';
/** How often a client should poll tasks/get; scans report progress every few seconds. */
export const TASK_POLL_INTERVAL_MS = 1000;

const TASK_STATUS: Readonly<Record<JobView['status'], Task['status']>> = {
  queued: 'working',
  running: 'working',
  succeeded: 'completed',
  // The spec's failed covers a tool result with isError, which is what a failed job becomes.
  failed: 'failed',
  cancelled: 'cancelled',
};

export const isTerminalJob = (j: Pick<JobView, 'status'>): boolean => j.status === 'succeeded' || j.status === 'failed' || j.status === 'cancelled';

/**
 * A job as a task: the task id is the job id, so any session (or a REST client) can follow it. ttl is null: the
 * task lives as long as the API keeps the job (docs/design.md, "MCP").
 */
export function jobToTask(j: JobView): Task {
  const statusMessage = j.error
    ? `${j.error.code}: ${j.error.message}`
    : j.status === 'queued'
      ? 'queued, waiting for a runner'
      : j.status === 'running'
        ? (j.progress?.message ?? 'running')
        : undefined;
  return {
    taskId: j.id,
    status: TASK_STATUS[j.status],
    ...(statusMessage !== undefined ? { statusMessage } : {}),
    createdAt: j.createdAt,
    lastUpdatedAt: j.finishedAt ?? j.claimedAt ?? j.createdAt,
    ttl: null,
    pollInterval: TASK_POLL_INTERVAL_MS,
  };
}

/** The tools/call result an ended job stands for, tied to its task; the same text and data a direct call answers with. */
export function jobToCallResult(j: JobView, hints: FailureHints, renderers: ReadonlyMap<string, ToolRenderer>): CallToolResult {
  const related = { [RELATED_TASK_META_KEY]: { taskId: j.id } };
  if (j.status === 'succeeded' && j.result) {
    const ok = toCallToolResult(j.tool, { kind: 'ok', data: { jobId: j.id, result: j.result } }, hints, renderers);
    return { ...ok, _meta: { ...ok._meta, ...related } };
  }
  const e = j.error ?? { code: 'UNKNOWN', message: `The job ended as ${j.status} without an error.`, recoverySuggestion: 'Try again.' };
  const details = { ...e.details, jobId: j.id, ...(j.result ? { partialResult: j.result } : {}) };
  const failed = failure(e.code, e.message, e.recoverySuggestion, details);
  return { ...failed, content: [...failed.content, jobLink(j.tool, j.id)], _meta: { ...failed._meta, ...related } };
}
