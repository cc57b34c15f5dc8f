import type { ErrorInfo } from '../errors/codes';
import type { JobProgress } from '../jobs/contract';
import type { z } from 'zod';
import type { AnyToolDefinition } from './definition';

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
  /**
   * Every option argv may contain (tokens starting with "-" or "+"; "+name=value" counts as "+name"). The runner
   * refuses a job whose argv holds any other before anything runs (docs/security.md, "Arguments").
   */
  flags: readonly string[];
  /** Why this runner cannot offer the tool beyond a missing binary (e.g. dig without a resolver); undefined: it can. */
  unavailable?(settings: ToolSettings): string | undefined;
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
  unavailable?(settings: ToolSettings): string | undefined;
  run(params: P, ctx: NativeContext): Promise<Parsed>;
}

export type Executor<P = Record<string, unknown>> = BinaryExecutor<P> | NativeExecutor<P>;

type Params<D extends AnyToolDefinition> = z.output<D['params']>;

/** What a tool author writes for the runner: the executor without its definition, typed by the definition's params. */
export type ExecutorSpec<D extends AnyToolDefinition> = Omit<BinaryExecutor<Params<D>>, 'definition'> | Omit<NativeExecutor<Params<D>>, 'definition'>;

/**
 * The runner side of a tool (docs/CONTRIBUTING.md, "Add a tool"): argv from typed parameters for a binary plus its
 * parser, or a native function. Parameters reach it only after the runner parsed them with the definition's own
 * schema, so the typed view is sound; the pipeline around it (validation, policy, pinning, sandbox, caps, breakers,
 * metrics) is not the author's to skip.
 */
export function defineExecutor<D extends AnyToolDefinition>(definition: D, spec: Omit<BinaryExecutor<Params<D>>, 'definition'>): BinaryExecutor;
export function defineExecutor<D extends AnyToolDefinition>(definition: D, spec: Omit<NativeExecutor<Params<D>>, 'definition'>): NativeExecutor;
export function defineExecutor<D extends AnyToolDefinition>(definition: D, spec: ExecutorSpec<D>): Executor {
  return { ...spec, definition };
}

/** The first argv token that is an option the executor did not declare, if any. */
export function undeclaredFlag(argv: readonly string[], flags: readonly string[]): string | undefined {
  return argv.find(
    (token) => (token.startsWith('-') || token.startsWith('+')) && !flags.includes(token.startsWith('+') ? (token.split('=')[0] ?? token) : token),
  );
}

/** How a job was confined (docs/security.md, "Sandbox"). */
export const SANDBOX_MODES = ['helper', 'util-linux', 'process-group'] as const;
export type SandboxMode = (typeof SANDBOX_MODES)[number];

/**
 * The protections a runner's sandbox can give a job, by the names NETDIAG_SANDBOX_REQUIRE, the start-up log and
 * /health use (docs/security.md, "Sandbox").
 */
export const SANDBOX_PROTECTIONS = ['rlimits', 'pdeathsig', 'pidns', 'identity', 'seccomp', 'filesystem', 'cgroup', 'exec'] as const;
export type SandboxProtection = (typeof SANDBOX_PROTECTIONS)[number];

/** What the sandbox hands a binary tool's parser: captured output (capped) and how the process ended. */
export interface SpawnResult {
  stdout: string;
  stderr: string;
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  cancelled: boolean;
  stdoutTruncated: boolean;
  stderrTruncated: boolean;
  durationMs: number;
  /** Set when the process could not be started at all (e.g. ENOENT). */
  spawnError?: string | undefined;
  /** The job was killed because stdout reached its cap (stdoutCapAction 'kill'). */
  killedAtOutputCap?: boolean | undefined;
  /** Bytes the job wrote to stdout, kept or not. */
  stdoutBytesSeen?: number | undefined;
  /** How the job was confined. */
  sandboxMode?: SandboxMode | undefined;
}
