/** Per-job resource limits, applied with setrlimit between fork and exec (never to the runner itself). */
export interface ProcessLimits {
  /** RLIMIT_CPU in seconds: the kernel kills a job that burns more CPU than this. */
  cpuSec: number;
  /** RLIMIT_AS in MiB (MCP_MAX_MEMORY_MB). Address space, not RSS: thread stacks and malloc arenas count. */
  memoryMb: number;
  /** RLIMIT_NOFILE (MCP_MAX_FILE_DESCRIPTORS). */
  maxFds: number;
  // RLIMIT_CORE is always 0: a core dump of a tool would hold scanned data on disk.
}

const BOUNDS = { cpuSec: [1, 86_400], memoryMb: [16, 1_048_576], maxFds: [16, 1_048_576] } as const;

/** Refuse limits that are not sane integers: a typo must not become "unlimited" or "nothing runs". */
export function checkLimits(limits: ProcessLimits): ProcessLimits {
  for (const key of Object.keys(BOUNDS) as Array<keyof ProcessLimits>) {
    const [min, max] = BOUNDS[key];
    const value = limits[key];
    if (!Number.isSafeInteger(value) || value < min || value > max) {
      throw new RangeError(`process limit ${key}=${String(value)} is outside ${min}..${max}`);
    }
  }
  return limits;
}

/**
 * Limits for a job with a wall-clock deadline. The CPU limit sits one second above the deadline so a
 * job spinning on the CPU the whole time still ends as TIMEOUT (the deadline fires first); the CPU limit
 * is the backstop if the runner's timer does not fire (runner stalled or killed).
 */
export function limitsForDeadline(timeoutMs: number, memoryMb: number, maxFds: number): ProcessLimits {
  return checkLimits({ cpuSec: Math.max(1, Math.ceil(timeoutMs / 1000) + 1), memoryMb, maxFds });
}
