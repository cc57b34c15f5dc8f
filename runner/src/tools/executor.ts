import type { ErrorInfo } from '../../../functions/src/errors/codes';
import type { JobProgress } from '../../../functions/src/jobs/types';
import type { AnyToolDefinition } from '../../../functions/src/tools/types';
import type { SpawnResult } from '../sandbox/spawn';

/** Where the job points after pinning: the literal the binary receives. */
export interface ExecTarget {
  /** The target as the caller gave it. */
  target: string;
  /** IP literal (or CIDR) that goes to the binary; never a hostname. */
  address: string;
  family: 4 | 6;
}

export type Parsed = { ok: true; result: Record<string, unknown> } | { ok: false; error: ErrorInfo; partial?: Record<string, unknown> | undefined };

/**
 * How the runner runs one tool through a binary: argv built here from typed parameters (never from
 * strings the caller chose), output parsed into the definition's result shape.
 */
export interface BinaryExecutor<P = Record<string, unknown>> {
  definition: AnyToolDefinition;
  argv(params: P, target: ExecTarget): string[];
  parse(output: SpawnResult, params: P, target: ExecTarget): Parsed;
  /** Turn a stdout chunk into progress, when the tool reports any. */
  progress?(chunk: string, params: P): JobProgress | undefined;
}
