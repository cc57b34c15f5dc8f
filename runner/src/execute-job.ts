import { type ErrorInfo, errorInfo } from '../../functions/shared/errors/codes';
import type { JobProgress } from '../../functions/shared/jobs/contract';
import type { JobOutcome, RunnerJob } from '../../openapi/sdk/src/runner';
import type { RunnerConfig } from './config';
import type { ToolGuards } from './resilience/tool-guards';
import { classifyOutcome } from './resilience/verdict';
import type { BinaryPaths } from './sandbox/binaries';
import { limitsForDeadline } from './sandbox/limits';
import { runSandboxed } from './sandbox/spawn';
import type { Sandbox } from './sandbox/wrapper';
import { type Resolver, pinTarget } from './target/pin-target';
import { spawnAttributes, traceExec } from './telemetry/exec-span';
import { sanitizeLine } from '../../functions/shared/text/sanitize';
import { type ExecTarget, type Executor, type Parsed, undeclaredFlag } from '../../functions/shared/tool/executor';
import { rawSocketAllowed } from './sandbox/hardening-config';
import type { Later } from './post-job-work';
import { markStage, stageTimesOn } from '../../functions/shared/telemetry/stage-times';

export interface ExecuteDeps {
  config: RunnerConfig;
  binaries: BinaryPaths;
  executors: ReadonlyMap<string, Executor>;
  /** Probed once at start-up (probeSandbox); absent: process group only, no rlimits (unit tests). */
  sandbox?: Sandbox | undefined;
  /** Per-tool concurrency and circuit breaker; absent: unguarded (unit tests). */
  guards?: ToolGuards | undefined;
  /** Hostname resolution (dns.lookup when absent); tests inject one that never touches the network. */
  resolve?: Resolver | undefined;
}

export const failed = (error: ErrorInfo, durationMs = 0, result?: Record<string, unknown>): JobOutcome =>
  result ? { status: 'failed', error, durationMs, result } : { status: 'failed', error, durationMs };

/**
 * Everything between a claimed job and its outcome. Trusts nothing the API sent: the tool must be known
 * here, the parameters pass the shared schema and policy again, the target is re-checked and pinned. `later`: where
 * the job's clean-up nobody waits for goes (job-runner.ts holds it until the report is acknowledged; post-job-work.ts).
 */
export async function executeJob(deps: ExecuteDeps, job: RunnerJob, signal: AbortSignal, report: (p: JobProgress) => void, later?: Later): Promise<JobOutcome> {
  if (!deps.guards) return executeUnguarded(deps, job, signal, report, later);
  // Refusals (validation, target) run inside too but are neutral for the breaker; a job never waits for a
  // slot longer than its own timeout.
  const guarded = await deps.guards.run(job.tool, () => executeUnguarded(deps, job, signal, report, later), classifyOutcome, {
    signal,
    maxWaitMs: job.timeoutSec * 1000,
  });
  return guarded.ok ? guarded.value : failed(guarded.error);
}

async function executeUnguarded(deps: ExecuteDeps, job: RunnerJob, signal: AbortSignal, report: (p: JobProgress) => void, later?: Later): Promise<JobOutcome> {
  const executor = deps.executors.get(job.tool);
  if (!executor) return failed(errorInfo('NOT_FOUND', `This runner has no tool "${job.tool}".`));
  const def = executor.definition;
  const unavailable = executor.unavailable?.(deps.config.tools);
  if (unavailable !== undefined) {
    return failed(
      errorInfo('NOT_FOUND', `${job.tool} is not configured on runner ${deps.config.runnerId}: ${unavailable}.`, {
        recoverySuggestion: 'Use a runner that advertises this tool (GET /tools shows availability).',
      }),
    );
  }

  const params = def.params.safeParse(job.params);
  if (!params.success) {
    return failed(errorInfo('VALIDATION_ERROR', `The runner refused the job's parameters: ${params.error.issues[0]?.message ?? 'invalid'}.`));
  }
  const p = params.data as Record<string, unknown>;
  const settings = deps.config.tools;
  const paramRefusal = def.policy.checkParams?.(p, { allowIntrusive: settings.allowIntrusive, privileged: settings.privileged });
  if (paramRefusal) return failed({ ...paramRefusal, details: { checkedBy: 'runner' } });

  const raw = String(p[def.policy.targetField]);
  const pinned = await pinTarget(deps.config.policy, raw, def.policy.allowCidr, def.policy.resolveTarget !== false, deps.resolve);
  if (!pinned.ok) {
    const { code, message, recoverySuggestion, reason } = pinned.refusal;
    return failed({ code, message, recoverySuggestion, details: { reason, checkedBy: 'runner' } });
  }
  const target: ExecTarget = {
    target: raw,
    address: pinned.address,
    family: pinned.family,
    hostname: pinned.target.kind === 'hostname' ? pinned.target.hostname : undefined,
  };
  const timeoutSec = Math.min(job.timeoutSec, def.policy.maxTimeoutSec);
  markStage(job.id, 'runner.pinned');
  const started = performance.now();

  let parsed: Parsed;
  let stopped: 'cancelled' | 'timeout' | undefined;
  if (executor.kind === 'native') {
    const deadline = AbortSignal.timeout(timeoutSec * 1000);
    const both = AbortSignal.any([signal, deadline]);
    const pin = async (r: string): Promise<{ ok: true; target: ExecTarget } | { ok: false; message: string }> => {
      const again = await pinTarget(deps.config.policy, r, false, true, deps.resolve);
      if (!again.ok) return { ok: false, message: again.refusal.message };
      return {
        ok: true,
        target: { target: r, address: again.address, family: again.family, hostname: again.target.kind === 'hostname' ? again.target.hostname : undefined },
      };
    };
    parsed = await traceExec({ jobId: job.id, tool: job.tool, target: raw, address: pinned.address }, () =>
      executor.run(p, { target, settings, signal: both, timeoutMs: timeoutSec * 1000, report, pin }),
    );
    stopped = signal.aborted ? 'cancelled' : deadline.aborted ? 'timeout' : undefined;
  } else {
    const binary = def.policy.binary ? deps.binaries.get(def.policy.binary) : undefined;
    if (!binary) {
      return failed(
        errorInfo('NOT_FOUND', `${def.policy.binary ?? job.tool} is not installed on runner ${deps.config.runnerId}.`, {
          recoverySuggestion: def.policy.debianPackage
            ? `Install it on the runner host: apt-get install -y ${def.policy.debianPackage}`
            : 'Install the tool on the runner host.',
        }),
      );
    }
    const args = executor.argv(p, target, settings);
    // The pipeline, not the tool author, has the last word on options (docs/security.md, "Arguments").
    const undeclared = undeclaredFlag(args, executor.flags);
    if (undeclared !== undefined) {
      return failed(
        errorInfo('VALIDATION_ERROR', `${job.tool} built an option it does not declare (${sanitizeLine(undeclared, 40)}); nothing was run.`, {
          recoverySuggestion: "This is a defect in the tool: add the option to its executor's flags only if it is safe for any caller.",
          details: { checkedBy: 'runner' },
        }),
      );
    }
    // CAP_NET_RAW only when the definition declares it for this call AND the operator lets this tool have it.
    const netRaw = def.policy.needsRawSocket?.(p) ?? false;
    if (netRaw && !rawSocketAllowed(deps.config.sandbox.hardening.netRawTools, job.tool)) {
      return failed(
        errorInfo('FORBIDDEN', `${job.tool} needs a raw socket for these parameters, which this runner does not grant it; nothing was run.`, {
          recoverySuggestion: `Use parameters that need no raw socket, or ask the operator to add ${job.tool} to NETDIAG_SANDBOX_NET_RAW.`,
          details: { checkedBy: 'runner' },
        }),
      );
    }
    const run = await traceExec(
      { jobId: job.id, tool: job.tool, target: raw, address: pinned.address, file: binary, args },
      () =>
        runSandboxed({
          file: binary,
          args,
          timeoutMs: timeoutSec * 1000,
          maxStdoutBytes: deps.config.maxStdoutBytes,
          maxStderrBytes: deps.config.maxStderrBytes,
          signal,
          onStdout: progressFor(executor, p, report),
          onStage: stageTimesOn() ? (stage) => markStage(job.id, `runner.${stage}`) : undefined,
          later,
          confine: deps.sandbox
            ? {
                sandbox: deps.sandbox,
                limits: limitsForDeadline(timeoutSec * 1000, deps.config.sandbox.maxMemoryMb, deps.config.sandbox.maxFileDescriptors),
                netRaw, // docs/security.md, "Sandbox"
                // The only other programs this job may execute (exec restriction); one not installed is simply not granted.
                execs: (def.policy.execs ?? []).flatMap((name) => deps.binaries.get(name) ?? []),
                maxProcesses: def.policy.maxProcesses,
              }
            : undefined,
        }),
      spawnAttributes,
    );
    if (run.spawnError)
      return { ...failed(errorInfo('EXECUTION_ERROR', `Could not start ${def.policy.binary}: ${run.spawnError}`)), resolvedAddress: pinned.address };
    parsed = executor.parse(run, p, target);
    markStage(job.id, 'runner.parsed');
    stopped = run.cancelled ? 'cancelled' : run.timedOut ? 'timeout' : undefined;
  }

  const durationMs = performance.now() - started;
  const partial = parsed.ok ? parsed.result : parsed.partial;
  const withAddress = (o: JobOutcome): JobOutcome => ({ ...o, resolvedAddress: pinned.address });
  if (stopped === 'cancelled') {
    const why = signal.reason === 'lease-lost' ? 'the runner lost its lease' : 'it was cancelled';
    return withAddress(failed(errorInfo('CANCELLED', `${job.tool} was stopped because ${why}.`), durationMs, partial));
  }
  if (stopped === 'timeout') {
    return withAddress(
      failed(
        errorInfo('TIMEOUT', `${job.tool} did not finish within ${timeoutSec}s; what it produced so far is in details.partialResult.`),
        durationMs,
        partial,
      ),
    );
  }
  if (!parsed.ok) return withAddress(failed(parsed.error, durationMs, partial));
  return withAddress({ status: 'succeeded', result: parsed.result, durationMs });
}

/** The job's stdout listener for progress, when its tool reports any. */
function progressFor(
  executor: Extract<Executor, { kind: 'binary' }>,
  params: Record<string, unknown>,
  report?: (p: JobProgress) => void,
): ((chunk: string) => void) | undefined {
  const read = executor.createProgress?.(params);
  if (!read || !report) return undefined;
  return (chunk) => {
    const progress = read(chunk);
    if (progress) report(progress);
  };
}
