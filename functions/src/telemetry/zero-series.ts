import { ERROR_CODES, type ErrorCode } from '../../shared/errors/codes';
import { TARGET_REFUSAL_REASONS } from '../../shared/policy/refusal';
import { apiInstruments, statusLabel } from './instruments';

/** Codes a tool call never ends with: no token is not a call (refusals.ts), the other two are runner and shim codes. */
const NOT_A_CALL_OUTCOME: ReadonlySet<ErrorCode> = new Set(['UNAUTHORIZED', 'LEASE_CONFLICT', 'API_UNREACHABLE']);

/** mcp_tool_execution_total{status}: `success` and every error a tool call can end with, in lower case. */
export const CALL_STATUSES: readonly string[] = ['success', ...ERROR_CODES.filter((c) => !NOT_A_CALL_OUTCOME.has(c)).map((c) => statusLabel(c))];

/** mcp_validation_rejections_total{reason}: the generic reasons of refusals.ts and every target policy reason. */
export const VALIDATION_REASONS: readonly string[] = ['schema', 'args_too_large', 'malformed', 'policy', ...TARGET_REFUSAL_REASONS];

/**
 * Put every counter series dashboards and alerts query at 0 for every tool, once at start-up. A Prometheus counter
 * that appears only with its first event has no earlier sample, so rate() and increase() miss that event and
 * alerts see nothing until the second one. Adding 0 creates the series without counting anything. Gauges need
 * nothing: gauges.ts observes every tool at each scrape. The duration histogram cannot be created empty through
 * the OpenTelemetry API (a record is an observation); it appears with the first job that ran.
 */
export function zeroSeries(tools: readonly string[]): void {
  const m = apiInstruments();
  for (const tool of tools) {
    for (const status of CALL_STATUSES) m.executions.add(0, { tool, status });
    for (const reason of VALIDATION_REASONS) m.validation.add(0, { tool, reason });
    m.timeouts.add(0, { tool });
    m.rateLimited.add(0, { tool });
  }
}
