import type { ErrorInfo } from '../../../functions/src/errors/codes';
import type { JobProgress } from '../../../functions/src/jobs/types';
import type { AnyToolDefinition } from '../../../functions/src/tools/types';
import type { SpawnResult } from '../sandbox/spawn';

/** Where the job points after pinning. */
export interface ExecTarget {
  /** The target as the caller gave it. */
  target: string;
  /**
   * What the tool is pointed at: an IP literal or CIDR for tools that resolve (never a hostname),
   * or the checked name itself for tools with `resolveTarget: false` (dig).
   */
  address: string;
  family: 4 | 6;
  /** The hostname when the caller gave one (for TLS SNI and the HTTP Host header). */
  hostname?: string | undefined;
}

/** Runner-side settings tools may use; all from the runner's own configuration. */
export interface ToolSettings {
  /** The lab resolver dig must use (NETDIAG_DNS_RESOLVER); dig is not advertised without it. */
  dnsResolver?: { address: string; port: number } | undefined;
  allowIntrusive: boolean;
  privileged: boolean;
  /** Redirects http_probe may follow (each re-checked against the policy); 0 = report, do not follow. */
  httpMaxRedirects: number;
}

export type Parsed = { ok: true; result: Record<string, unknown> } | { ok: false; error: ErrorInfo; partial?: Record<string, unknown> | undefined };

/**
 * A tool run through a binary: argv built here from typed parameters (never from strings the caller
 * chose), output parsed into the definition's result shape.
 */
export interface BinaryExecutor<P = Record<string, unknown>> {
  kind: 'binary';
  definition: AnyToolDefinition;
  /** Whether this runner can offer the tool beyond having the binary (e.g. dig needs a configured resolver). */
  available?(settings: ToolSettings): boolean;
  argv(params: P, target: ExecTarget, settings: ToolSettings): string[];
  parse(output: SpawnResult, params: P, target: ExecTarget): Parsed;
  /**
   * Called once per job when the tool reports progress: returns the reader that turns each stdout chunk into
   * progress. Chunks split lines anywhere, so the reader keeps its own line buffer for that one job.
   */
  createProgress?(params: P): (chunk: string) => JobProgress | undefined;
}

export interface NativeContext {
  target: ExecTarget;
  settings: ToolSettings;
  /** Aborted on cancellation or deadline; the run must stop promptly and return what it has. */
  signal: AbortSignal;
  timeoutMs: number;
  report(progress: JobProgress): void;
  /**
   * Re-check and pin a target met during the run (a redirect's host), with the runner's own policy:
   * the same rules as the job's own target, hostnames resolved once and every address checked.
   */
  pin(raw: string): Promise<{ ok: true; target: ExecTarget } | { ok: false; message: string }>;
}

/** A tool implemented in Node itself (TLS, HTTP): no binary, same validation and reporting. */
export interface NativeExecutor<P = Record<string, unknown>> {
  kind: 'native';
  definition: AnyToolDefinition;
  available?(settings: ToolSettings): boolean;
  run(params: P, ctx: NativeContext): Promise<Parsed>;
}

export type Executor<P = Record<string, unknown>> = BinaryExecutor<P> | NativeExecutor<P>;
