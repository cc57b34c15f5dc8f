import type { Executor, ToolSettings } from '../../functions/shared/tool/executor';
import type { BinaryPaths } from './sandbox/binaries';

/** The API refuses a registration with a reason over 1024 characters (and keeps 200 of it): never send more. */
const MAX_REASON_CHARS = 1024;

export interface OfferedTools {
  /** Tools this runner claims jobs for. */
  offered: string[];
  /** Tools it has an executor for but cannot run, with the reason an operator can act on. */
  unavailable: Record<string, string>;
}

/**
 * What this runner can run, decided once at start-up: a binary tool needs its binary, and any tool may need more
 * (dig a resolver). The reasons travel to the API at registration so a call fails at once with the cause instead
 * of waiting for a runner (docs/design.md, "Runners").
 */
export function offeredTools(executors: Iterable<Executor>, binaries: BinaryPaths, settings: ToolSettings): OfferedTools {
  const offered: string[] = [];
  const unavailable: Record<string, string> = {};
  for (const e of executors) {
    const { name, policy } = e.definition;
    const missing = policy.binary !== null && !binaries.has(policy.binary);
    const reason = missing ? `${policy.binary} is not installed (apt-get install -y ${policy.debianPackage ?? policy.binary})` : e.unavailable?.(settings);
    if (reason === undefined) offered.push(name);
    else unavailable[name] = reason.slice(0, MAX_REASON_CHARS);
  }
  return { offered, unavailable };
}
