import type { BreakerState, ToolGuardState } from '../resilience/tool-guards';

/**
 * What the runner tells the API about its circuit breakers, on every claim (mcp_circuit_breaker_state on the API's
 * /metrics): each guarded tool's state. Tools not yet guarded are left out and count as CLOSED there.
 */
export function breakerReport(states: readonly ToolGuardState[]): Record<string, BreakerState> {
  return Object.fromEntries(states.map((s) => [s.tool, s.breaker]));
}
