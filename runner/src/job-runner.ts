import { type ErrorInfo, errorInfo } from '../../functions/src/errors/codes';
import { findTool } from '../../functions/src/tools/index';
import type { JobOutcome, RunnerJob } from '../../openapi/client';
import type { RunnerApi } from './api';
import type { RunnerConfig } from './config';
import { type Heartbeat, startHeartbeat } from './heartbeat-loop';
import type { Logger } from './logger';
import type { BinaryPaths } from './sandbox/binaries';
import { runSandboxed } from './sandbox/spawn';
import { pinTarget } from './target/pin-target';
import type { BinaryExecutor } from './tools/executor';

export interface JobRunnerDeps {
  api: RunnerApi;
  config: RunnerConfig;
  binaries: BinaryPaths;
  executors: ReadonlyMap<string, BinaryExecutor<never>>;
  logger: Logger;
}

const failed = (error: ErrorInfo, durationMs = 0, result?: Record<string, unknown>): JobOutcome =>
  result ? { status: 'failed', error, durationMs, result } : { status: 'failed', error, durationMs };

/**
 * Run one claimed job: re-validate everything the API sent, pin the target, build argv, execute in the sandbox,
 * parse, and report. The report is sent whatever happens, outside the job's cancellation.
 */
export async function runJob(deps: JobRunnerDeps, job: RunnerJob): Promise<void> {
  const cancel = new AbortController();
  const heartbeat = startHeartbeat(deps.api, job, cancel, deps.logger);
  let outcome: JobOutcome;
  try {
    outcome = await execute(deps, job, cancel.signal, heartbeat);
  } catch (err) {
    deps.logger.error({ jobId: job.id, err: String(err) }, 'job crashed');
    outcome = failed(errorInfo('UNKNOWN', 'The runner failed while running the job.'));
  } finally {
    heartbeat.stop();
  }
  deps.logger.info({ jobId: job.id, tool: job.tool, status: outcome.status, ...(outcome.status === 'failed' ? { code: outcome.error.code } : {}), durationMs: Math.round(outcome.durationMs) }, 'job finished');
  await deps.api.complete(job, outcome).catch((err: unknown) => deps.logger.error({ jobId: job.id, err: String(err) }, 'could not report outcome'));
}

async function execute(deps: JobRunnerDeps, job: RunnerJob, signal: AbortSignal, heartbeat: Heartbeat): Promise<JobOutcome> {
  const def = findTool(job.tool);
  const executor = deps.executors.get(job.tool);
  if (!def || !executor) return failed(errorInfo('NOT_FOUND', `This runner has no tool "${job.tool}".`));

  const params = def.params.safeParse(job.params);
  if (!params.success) {
    return failed(errorInfo('VALIDATION_ERROR', `The runner refused the job's parameters: ${params.error.issues[0]?.message ?? 'invalid'}.`));
  }
  const p = params.data as Record<string, unknown>;
  const pinned = await pinTarget(deps.config.policy, String(p[def.policy.targetField]), def.policy.allowCidr);
  if (!pinned.ok) {
    const { code, message, recoverySuggestion, reason } = pinned.refusal;
    return failed({ code, message, recoverySuggestion, details: { reason, checkedBy: 'runner' } });
  }
  const binary = def.policy.binary ? deps.binaries.get(def.policy.binary) : undefined;
  if (!binary) {
    return failed(errorInfo('NOT_FOUND', `${def.policy.binary ?? job.tool} is not installed on runner ${deps.config.runnerId}.`, {
      recoverySuggestion: def.policy.debianPackage ? `Install it on the runner host: apt-get install -y ${def.policy.debianPackage}` : 'Install the tool on the runner host.',
    }));
  }

  const target = { target: String(p[def.policy.targetField]), address: pinned.address, family: pinned.family };
  const timeoutSec = Math.min(job.timeoutSec, def.policy.maxTimeoutSec);
  const run = await runSandboxed({
    file: binary,
    args: executor.argv(p as never, target),
    timeoutMs: timeoutSec * 1000,
    maxStdoutBytes: deps.config.maxStdoutBytes,
    maxStderrBytes: deps.config.maxStderrBytes,
    signal,
    onStdout: executor.progress ? (chunk) => {
      const progress = executor.progress?.(chunk, p as never);
      if (progress) heartbeat.report(progress);
    } : undefined,
  });
  const base = { resolvedAddress: pinned.address, durationMs: run.durationMs };
  if (run.spawnError) return { ...failed(errorInfo('EXECUTION_ERROR', `Could not start ${def.policy.binary}: ${run.spawnError}`)), ...base };

  const parsed = executor.parse(run, p as never, target);
  const partial = parsed.ok ? parsed.result : parsed.partial;
  if (run.cancelled) {
    const why = signal.reason === 'lease-lost' ? 'the runner lost its lease' : 'it was cancelled';
    return { ...failed(errorInfo('CANCELLED', `${job.tool} was stopped because ${why}.`), run.durationMs, partial), resolvedAddress: pinned.address };
  }
  if (run.timedOut) {
    return { ...failed(errorInfo('TIMEOUT', `${job.tool} did not finish within ${timeoutSec}s; partial output is in details.`), run.durationMs, partial), resolvedAddress: pinned.address };
  }
  if (!parsed.ok) return { ...failed(parsed.error, run.durationMs, partial), resolvedAddress: pinned.address };
  return { status: 'succeeded', result: parsed.result, ...base };
}
