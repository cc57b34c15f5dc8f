import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
  CancelTaskRequestSchema,
  type CreateTaskResult,
  ErrorCode,
  GetTaskPayloadRequestSchema,
  GetTaskRequestSchema,
  ListTasksRequestSchema,
} from '@modelcontextprotocol/sdk/types.js';
import type { ToolRenderer } from '../shared/tool/definition';
import { type FailureHints, toCallToolResult } from './answers';
import type { JobView } from './api-port';
import type { ToolExtra } from './call-tool';
import { TASK_POLL_INTERVAL_MS, jobToCallResult, jobToTask, isTerminalJob } from './job-task';
import { sleep } from '../shared/sleep';
import { type PortAccess, readContext } from './port-access';
import { ProtocolError, invalidParams } from './protocol-error';
import { TaskFollowers } from './task-followers';

const ENDING_EVENTS: ReadonlySet<string> = new Set(['job.succeeded', 'job.failed', 'job.cancelled']);

/** tasks/list answers with at most this many of the caller's newest tasks. */
const LISTED_TASKS = 100;

export interface TaskOptions {
  access: PortAccess;
  hints: FailureHints;
  renderers: ReadonlyMap<string, ToolRenderer>;
  /** Tools offered as tasks (execution.taskSupport "optional"): those whose definition says they may run long. */
  taskTools(extra: ToolExtra): Promise<ReadonlySet<string>>;
}

/**
 * MCP tasks (protocol 2025-11-25, the SDK's experimental API) mapped onto jobs, in this one module so the 2026-07-28
 * tasks extension can sit beside it: a task is a job (same id), tasks/get is GET /jobs/{id}, tasks/result waits on
 * the job's events, tasks/list is GET /jobs, tasks/cancel is DELETE /jobs/{id}. The job lives in the API, so a task
 * outlives the session and the shim process that started it, and the API's ownership rules decide who sees it.
 */
export function registerTasks(server: Server, o: TaskOptions): { start: typeof start; close(): void } {
  const followers = new TaskFollowers(o.access.port, (task) => server.notification({ method: 'notifications/tasks/status', params: task }));

  const jobOf = async (taskId: string, extra: ToolExtra): Promise<JobView> => {
    const answer = await o.access.port.getJob(taskId, readContext(o.access, extra));
    if (answer.kind === 'ok') return answer.data;
    if (answer.kind === 'error' && answer.status === 404) throw invalidParams(`Task not found: ${taskId}`);
    throw new ProtocolError(ErrorCode.InternalError, `Could not read task ${taskId}: ${answer.kind === 'error' ? answer.body.message : answer.kind}`);
  };

  server.setRequestHandler(GetTaskRequestSchema, async (request, extra) => jobToTask(await jobOf(request.params.taskId, extra)));

  server.setRequestHandler(GetTaskPayloadRequestSchema, async (request, extra) => {
    const { taskId } = request.params;
    let job = await jobOf(taskId, extra);
    while (!isTerminalJob(job)) {
      // The job's event stream ends when the job does; a broken stream is followed by another look at the job.
      try {
        for await (const e of o.access.port.jobEvents(taskId, {
          signal: extra.signal,
          headers: o.access.headers(extra),
          principal: extra.authInfo?.clientId,
        })) {
          if (ENDING_EVENTS.has(e.type)) break;
        }
      } catch {
        // Fall through to the next look at the job.
      }
      if (extra.signal.aborted) throw new ProtocolError(ErrorCode.ConnectionClosed, 'tasks/result was cancelled');
      job = await jobOf(taskId, extra);
      // The stream ended with the job still running (the API refused or dropped it): poll, never spin.
      if (!isTerminalJob(job)) await sleep(TASK_POLL_INTERVAL_MS, extra.signal);
    }
    return jobToCallResult(job, o.hints, o.renderers);
  });

  server.setRequestHandler(ListTasksRequestSchema, async (_request, extra) => {
    const [jobs, tools] = await Promise.all([o.access.port.listJobs(LISTED_TASKS, readContext(o.access, extra)), o.taskTools(extra)]);
    if (jobs.kind !== 'ok') throw new ProtocolError(ErrorCode.InternalError, 'Could not list tasks: the API did not answer.');
    return { tasks: jobs.data.jobs.filter((j) => tools.has(j.tool)).map(jobToTask) };
  });

  server.setRequestHandler(CancelTaskRequestSchema, async (request, extra) => {
    const { taskId } = request.params;
    const job = await jobOf(taskId, extra);
    if (isTerminalJob(job)) throw invalidParams(`Cannot cancel task ${taskId}: it is already ${jobToTask(job).status}.`);
    // DELETE /jobs/{id}: a queued job ends at once, a running one is killed by its runner (process group and all).
    await o.access.port.cancelJob(taskId, readContext(o.access, extra));
    return jobToTask(await jobOf(taskId, extra));
  });

  /** A task-augmented tools/call: start the job and answer at once with its task. */
  async function start(
    tool: string,
    args: Record<string, unknown>,
    key: string,
    headers: Readonly<Record<string, string>>,
    extra: ToolExtra,
  ): Promise<CreateTaskResult> {
    if (!(await o.taskTools(extra)).has(tool)) {
      throw new ProtocolError(ErrorCode.MethodNotFound, `${tool} cannot run as a task (its execution.taskSupport is "forbidden"); call it without "task".`);
    }
    const ctx = { ...readContext(o.access, extra), headers };
    // The call's own key (io.netdiag/idempotencyKey) makes a retried task request reattach to the same job.
    const started = await o.access.port.startJob(tool, args, key, ctx);
    if (started.kind !== 'ok') {
      // Nothing was started: refused arguments and targets are errors of the request itself.
      const refused = toCallToolResult(tool, started, o.hints, o.renderers);
      const text = refused.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');
      throw new ProtocolError(started.kind === 'error' && started.status < 500 ? ErrorCode.InvalidParams : ErrorCode.InternalError, text, refused._meta);
    }
    const job = await jobOf(started.data.jobId, extra);
    const task = jobToTask(job);
    followers.follow(job, headers, extra.authInfo?.clientId);
    return { task };
  }

  return { start, close: () => followers.closeAll() };
}
