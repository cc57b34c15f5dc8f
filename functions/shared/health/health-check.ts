/**
 * Health checks as GET /health runs them (functions/src/health/checks.ts), and `defineHealthCheck`, the one way tool
 * packages and operators declare their own. Runtime-neutral: no I/O here, only the shape and its guard rails.
 */

export type CheckStatus = 'healthy' | 'degraded' | 'unhealthy';

/**
 * Priorities (docs/design.md, "Observability"): 1 CRITICAL (system), 2 HIGH, 3 MEDIUM, 4 LOW, 5 INFORMATIONAL. Checks of
 * priority 1–4 count towards the overall status (any unhealthy one: 503, any degraded one: 207); priority 5 checks
 * are reported but never change it.
 */
export type CheckPriority = 1 | 2 | 3 | 4 | 5;

export const INFORMATIONAL_PRIORITY: CheckPriority = 5;

export interface CheckResult {
  status: CheckStatus;
  message: string;
  details?: Record<string, unknown>;
}

export interface HealthCheck {
  name: string;
  priority: CheckPriority;
  run(): Promise<CheckResult>;
}

export interface HealthCheckSpec {
  /** Shown in /health; lower case, digits and `_ . -` (tool packages' checks get `<tool>.` in front). */
  name: string;
  priority: CheckPriority;
  /** The check itself. A throw, a hang past `timeoutMs` or a malformed answer reads as unhealthy. */
  check(): CheckResult | Promise<CheckResult>;
  /** Longest the check may take (default 5000 ms): one slow check must not hold /health. */
  timeoutMs?: number;
}

export const HEALTH_CHECK_NAME = /^[a-z][a-z0-9_.-]{0,63}$/;
const DEFAULT_TIMEOUT_MS = 5000;
const STATUSES: ReadonlySet<unknown> = new Set<CheckStatus>(['healthy', 'degraded', 'unhealthy']);

export const isCheckPriority = (p: unknown): p is CheckPriority => p === 1 || p === 2 || p === 3 || p === 4 || p === 5;

/** What the check returned, if it is a CheckResult; /health's response schema would refuse anything else. */
function wellFormed(r: unknown): CheckResult | undefined {
  if (typeof r !== 'object' || r === null) return undefined;
  const { status, message, details } = r as Record<string, unknown>;
  if (!STATUSES.has(status) || typeof message !== 'string') return undefined;
  const base = { status: status as CheckStatus, message: message.slice(0, 1000) };
  return typeof details === 'object' && details !== null && !Array.isArray(details) ? { ...base, details: details as Record<string, unknown> } : base;
}

/**
 * Declare a health check. Bad names and priorities throw at once (a tool package with one is skipped at load);
 * at run time the check is bounded by a deadline and its answer is checked, so a tool author's bug shows as an
 * unhealthy line in /health instead of a hung or failing endpoint.
 */
export function defineHealthCheck(spec: HealthCheckSpec): HealthCheck {
  if (!HEALTH_CHECK_NAME.test(spec.name)) throw new TypeError(`health check name "${spec.name}" must match ${String(HEALTH_CHECK_NAME)}`);
  if (!isCheckPriority(spec.priority)) throw new TypeError(`health check "${spec.name}": priority must be 1 (critical) to 5 (informational)`);
  if (typeof spec.check !== 'function') throw new TypeError(`health check "${spec.name}": check must be a function`);
  const timeoutMs = spec.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return {
    name: spec.name,
    priority: spec.priority,
    async run() {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const late = new Promise<CheckResult>((resolve) => {
        timer = setTimeout(() => resolve({ status: 'unhealthy', message: `Check did not answer within ${timeoutMs} ms.` }), timeoutMs);
      });
      try {
        const answer = await Promise.race([Promise.resolve().then(() => spec.check()), late]);
        return wellFormed(answer) ?? { status: 'unhealthy', message: 'Check returned no valid result ({ status, message }).' };
      } catch (err) {
        return { status: 'unhealthy', message: `Check failed: ${err instanceof Error ? err.message : String(err)}`.slice(0, 1000) };
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
