/** What the runner asks of runSandboxed (spawn.ts): one job, its limits and how to treat its output. */
import type { Later } from '../post-job-work';
import type { ProcessLimits } from './limits';
import type { Sandbox } from './wrapper';

export interface SpawnRequest {
  file: string;
  args: readonly string[];
  timeoutMs: number;
  maxStdoutBytes: number;
  maxStderrBytes: number;
  /** Aborting kills the job at once, without the deadline's SIGTERM grace (cancellation: "stop" means now). */
  signal?: AbortSignal | undefined;
  /** The bench's per-stage breakdown (functions/shared/telemetry/stage-times.ts): told before spawn(), after it returns, at exit. */
  onStage?: ((stage: 'spawn' | 'spawned' | 'exited') => void) | undefined;
  /** Called with each stdout chunk as it arrives (progress parsing); multi-byte characters are never split. */
  onStdout?: ((chunk: string) => void) | undefined;
  /** Grace between SIGTERM and SIGKILL. */
  killGraceMs?: number | undefined;
  /** Confinement probed at start-up plus this job's limits. Absent: process group only (the old behaviour). */
  confine?:
    | {
        sandbox: Sandbox;
        limits: ProcessLimits;
        netRaw?: boolean | undefined;
        maxProcesses?: number | undefined;
        /** Absolute paths of the other programs the job may execute (its tool's `policy.execs`). */
        execs?: readonly string[] | undefined;
      }
    | undefined;
  /**
   * What happens when stdout reaches its cap. 'kill' (default): SIGKILL the job at once; nothing it writes
   * later would be kept, and a flood should not hold a slot and a core until the deadline. 'drain': read and
   * discard until the job exits on its own (its exit status and stderr then stay meaningful).
   */
  stdoutCapAction?: 'kill' | 'drain' | undefined;
  /**
   * Where the clean-up and preparation nobody waits for go once the job has ended (its cgroup removed, the next warm
   * process made): the runner holds them until the job's report is acknowledged (post-job-work.ts). Absent: setImmediate.
   */
  later?: Later | undefined;
}
