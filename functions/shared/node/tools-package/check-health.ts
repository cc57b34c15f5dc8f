/** A tool folder's `healthChecks` export: an array of defineHealthCheck results, re-wrapped under the tool's name. */
import { type HealthCheck, defineHealthCheck, isCheckPriority } from '../../health/health-check';

/**
 * The checks, named `<tool>.<name>` so a package cannot shadow a built-in one, each bounded and checked by
 * defineHealthCheck even when the module built a plain object; or why the export is unusable.
 */
export function checkHealthChecks(value: unknown, tool: string): HealthCheck[] | string {
  if (value === undefined) return [];
  if (!Array.isArray(value)) return 'healthChecks must be an array of defineHealthCheck(...) results';
  const out: HealthCheck[] = [];
  for (const c of value as unknown[]) {
    const entry = typeof c === 'object' && c !== null ? (c as Readonly<Record<string, unknown>>) : {};
    const { name, priority, run } = entry;
    if (typeof name !== 'string' || !isCheckPriority(priority) || typeof run !== 'function')
      return 'every health check needs a name, a priority 1-5 and run() (use defineHealthCheck)';
    try {
      out.push(defineHealthCheck({ name: `${tool}.${name}`, priority, check: () => (run as () => unknown).call(c) as ReturnType<HealthCheck['run']> }));
    } catch (err) {
      return err instanceof Error ? err.message : String(err);
    }
  }
  return out;
}
