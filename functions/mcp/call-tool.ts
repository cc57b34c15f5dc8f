import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { CallToolResult, ServerNotification, ServerRequest } from '@modelcontextprotocol/sdk/types.js';
import type { ToolRenderer } from '../shared/tool/definition';
import type { McpApiPort, PortContext } from './api-port';
import { type FailureHints, failure, toCallToolResult } from './answers';
import { type CallMeta, IDEMPOTENCY_META_KEY, jobKey } from './call-meta';
import { type CallSignal, callSignal } from './call-signal';
import { JobNotifier } from './job-notifier';
import type { LogLevelState } from './log-level';

export type ToolExtra = RequestHandlerExtra<ServerRequest, ServerNotification>;

export interface ToolCallInput {
  port: McpApiPort;
  tool: string;
  args: Record<string, unknown>;
  meta: CallMeta;
  extra: ToolExtra;
  /** Added to every API request of this call: Authorization on /mcp, trace context. */
  headers: Readonly<Record<string, string>>;
  timeoutMs: number;
  logs: LogLevelState;
  hints: FailureHints;
  /** Renderers by tool name, for the text of a result. */
  renderers: ReadonlyMap<string, ToolRenderer>;
}

/** After the result is in, how long the job's last events may take to arrive so notifications precede the result. */
const EVENTS_GRACE_MS = 1000;

/**
 * One tools/call as a job: start it (202 with an Idempotency-Key), follow its events when someone listens for
 * progress or logs, and wait for the schema-checked result (over HTTP the same POST held, the key reattaching; in
 * process on the job store). The job id is known from the start, so a cancelled call can stop the job on the runner.
 */
export async function callToolThroughJob(i: ToolCallInput): Promise<CallToolResult> {
  const call = callSignal(i.extra.signal, i.timeoutMs);
  try {
    return await throughJob(i, call);
  } finally {
    call.done();
  }
}

async function throughJob(i: ToolCallInput, call: CallSignal): Promise<CallToolResult> {
  const ctx: PortContext = { signal: call.signal, headers: i.headers, principal: i.extra.authInfo?.clientId };
  if (i.meta.progressToken === undefined && !i.logs.active && i.meta.idempotencyKey === undefined) {
    // Nobody follows the job and nobody will come back for it: one held request, no job id needed. An abort
    // (cancel or deadline) closes the request, and the API cancels a keyless job whose caller went away.
    const held = await i.port.runOnce(i.tool, i.args, ctx);
    if (ctx.signal.aborted) return stopped(i, undefined, call.timedOut(), true);
    return toCallToolResult(i.tool, held, i.hints, i.renderers);
  }
  const key = jobKey(i.meta);
  const started = await i.port.startJob(i.tool, i.args, key, ctx);
  if (ctx.signal.aborted) return stopped(i, started.kind === 'ok' ? started.data.jobId : undefined, call.timedOut());
  if (started.kind !== 'ok') return toCallToolResult(i.tool, started, i.hints, i.renderers);
  const { jobId } = started.data;

  const notifier = new JobNotifier({ tool: i.tool, jobId, progressToken: i.meta.progressToken, logs: i.logs, send: (n) => i.extra.sendNotification(n) });
  const stopFollowing = new AbortController();
  const following = notifier.wanted ? follow(i.port, jobId, { ...ctx, signal: AbortSignal.any([ctx.signal, stopFollowing.signal]) }, notifier) : undefined;
  const held = await i.port.awaitJob(i.tool, i.args, key, ctx);
  if (following) {
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([following, new Promise((resolve) => (timer = setTimeout(resolve, ctx.signal.aborted ? 0 : EVENTS_GRACE_MS)))]);
    clearTimeout(timer);
    stopFollowing.abort();
  }
  // Checked on the signal, not the answer: whatever the held request came back with, the caller has gone.
  if (ctx.signal.aborted) return stopped(i, jobId, call.timedOut());
  await notifier.settle();
  return toCallToolResult(i.tool, held, i.hints, i.renderers);
}

async function follow(port: McpApiPort, jobId: string, ctx: PortContext, notifier: JobNotifier): Promise<void> {
  try {
    for await (const e of port.jobEvents(jobId, ctx)) if (await notifier.handle(e)) return;
  } catch {
    // Progress and logs are best effort: a broken stream or a closed request must not fail the call.
  }
}

/**
 * The caller cancelled or the deadline passed. Without a client key nobody can come back for the job, so it is
 * stopped (the runner kills the process tree). With one, the job is left to finish for a retry to reattach.
 */
async function stopped(i: ToolCallInput, jobId: string | undefined, timedOut: boolean, stoppedByApi = false): Promise<CallToolResult> {
  const retryable = i.meta.idempotencyKey !== undefined;
  // Best effort: if the DELETE fails the job still ends at its own deadline.
  if (jobId !== undefined && !retryable) await i.port.cancelJob(jobId, { signal: AbortSignal.timeout(5000), headers: i.headers });
  const reattach = `Call again with the same _meta["${IDEMPOTENCY_META_KEY}"] to reattach to the job and get its result.`;
  const job = stoppedByApi
    ? 'the request was closed, and the API stops any job it started for it'
    : jobId === undefined
      ? 'the API did not confirm a job'
      : retryable
        ? 'the job keeps running'
        : 'the job was stopped';
  if (!timedOut) return failure('CANCELLED', `The call was cancelled; ${job}.`, retryable ? reattach : 'Call again if you still need the result.');
  return failure('TIMEOUT', `No result within ${i.timeoutMs} ms; ${job}.`, retryable ? reattach : i.hints.timeoutFix);
}
