/**
 * The job the spawn-path benches time (bench/spawn-server.ts, bench/job-exit.ts): `date +%s.%N` through runSandboxed in
 * `sandbox`, whose output is the job's own clock reading (the moment it ran), with small fixed limits. No network.
 */
import { runSandboxed, type SpawnRequest, type SpawnResult } from '../runner/src/sandbox/spawn';
import type { Sandbox } from '../runner/src/sandbox/wrapper';

export function runDateJob(sandbox: Sandbox, onStage?: SpawnRequest['onStage']): Promise<SpawnResult> {
  return runSandboxed({
    file: '/usr/bin/date',
    args: ['+%s.%N'],
    timeoutMs: 10_000,
    maxStdoutBytes: 4096,
    maxStderrBytes: 4096,
    onStage,
    confine: { sandbox, limits: { cpuSec: 10, memoryMb: 512, maxFds: 256 } },
  });
}
