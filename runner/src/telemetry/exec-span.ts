import { type Attributes, SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';
import type { SpawnResult } from '../sandbox/spawn';
import { RUNNER_TRACER, jobContext, runnerTracing } from './job-span';

export interface ExecInfo {
  /** The job it runs for: its run span is the parent (job-span.ts; the runner propagates no context across awaits). */
  jobId: string;
  tool: string;
  /** The target as the caller gave it. */
  target: string;
  /** The address it was pinned to (what the binary was given). */
  address: string;
  /** The binary, for tools that run one. */
  file?: string | undefined;
  args?: readonly string[] | undefined;
}

/** What a finished process says about itself, as span attributes. */
export function spawnAttributes(run: SpawnResult): Attributes {
  const attributes: Attributes = {
    'netdiag.exec.duration_ms': run.durationMs,
    'netdiag.exec.timed_out': run.timedOut,
    'netdiag.exec.cancelled': run.cancelled,
    'netdiag.output.truncated': run.stdoutTruncated || run.stderrTruncated,
    'netdiag.output.stdout_bytes': run.stdoutBytesSeen ?? run.stdout.length,
    'netdiag.output.stderr_bytes': run.stderr.length,
  };
  if (run.exitCode !== null) attributes['process.exit.code'] = run.exitCode;
  if (run.signal) attributes['process.signal'] = run.signal;
  if (run.sandboxMode) attributes['netdiag.sandbox.mode'] = run.sandboxMode;
  if (run.spawnError) attributes['error.type'] = 'spawn_error';
  return attributes;
}

/**
 * The execution itself (a sandboxed process, or a tool the runner implements natively) as an INTERNAL span under
 * the job span: tool, target, resolved address, and, for processes, exit code, duration, truncation and bytes.
 */
export function traceExec<T>(info: ExecInfo, fn: () => Promise<T>, describe?: (result: T) => Attributes): Promise<T> {
  return runnerTracing() ? tracedExec(info, fn, describe) : fn();
}

/**
 * The span is made once the execution has started (its start time taken before), and annotated and ended after the
 * turn the result comes back in: its work runs while the process does, not between pinning and the spawn or between
 * the exit and the report (issue 12). Nothing in `fn` reads an active span (no async context: job-span.ts).
 */
async function tracedExec<T>(info: ExecInfo, fn: () => Promise<T>, describe?: (result: T) => Attributes): Promise<T> {
  // performance.now() time: OpenTelemetry reads a number below the time origin as relative to it.
  const startTime = performance.now();
  let running: Promise<T>;
  try {
    running = fn();
  } catch (err) {
    running = Promise.reject(err instanceof Error ? err : new Error(String(err)));
  }
  const attributes: Attributes = { 'netdiag.tool': info.tool, 'netdiag.target': info.target, 'netdiag.resolved_address': info.address };
  if (info.file) attributes['process.executable.path'] = info.file;
  if (info.args) attributes['process.command_args'] = [info.file ?? info.tool, ...info.args];
  const parent = jobContext(info.jobId) ?? context.active();
  const span = trace.getTracer(RUNNER_TRACER).startSpan(`exec ${info.tool}`, { kind: SpanKind.INTERNAL, attributes, startTime }, parent);
  let ended: () => void;
  try {
    const result = await running;
    ended = () => {
      const described = describe?.(result);
      if (!described) return;
      span.setAttributes(described);
      if (described['error.type'] !== undefined || described['netdiag.exec.timed_out'] === true)
        span.setStatus({ code: SpanStatusCode.ERROR, message: String(described['error.type'] ?? 'timeout') });
    };
    return result;
  } catch (err) {
    ended = () => {
      span.recordException(err instanceof Error ? err : String(err));
      span.setStatus({ code: SpanStatusCode.ERROR, message: 'execution crashed' });
    };
    throw err;
  } finally {
    const endTime = performance.now();
    setImmediate(() => {
      ended();
      span.end(endTime);
    });
  }
}
