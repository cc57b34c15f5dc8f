/**
 * Circuit-breaker states as the runners report them (an optional `breakers` map on each claim). The breakers live
 * in the runners; the API only shows the latest word of each connected runner. A tool's state is the worst any
 * connected runner reports: OPEN over HALF_OPEN over CLOSED. Nothing reported means CLOSED.
 */
export const BREAKER_STATES = ['CLOSED', 'OPEN', 'HALF_OPEN'] as const;
export type BreakerState = (typeof BREAKER_STATES)[number];

/** mcp_circuit_breaker_state values: 0 closed, 1 open, 2 half-open. */
export const BREAKER_VALUE: Readonly<Record<BreakerState, number>> = { CLOSED: 0, OPEN: 1, HALF_OPEN: 2 };

const SEVERITY: Readonly<Record<BreakerState, number>> = { CLOSED: 0, HALF_OPEN: 1, OPEN: 2 };
/** Bounds, so a runner sending odd tool names cannot grow the board. */
const MAX_RUNNERS = 256;
const MAX_TOOLS = 64;

export class BreakerBoard {
  private readonly byRunner = new Map<string, ReadonlyMap<string, BreakerState>>();

  /** The runner's complete current view; replaces what it said before. */
  report(runnerId: string, states: Readonly<Record<string, BreakerState>>): void {
    if (!this.byRunner.has(runnerId) && this.byRunner.size >= MAX_RUNNERS) return;
    this.byRunner.set(runnerId, new Map(Object.entries(states).slice(0, MAX_TOOLS)));
  }

  /** Per tool, the worst state among `connected` runners (others are forgotten). */
  states(connected: readonly string[]): Map<string, BreakerState> {
    const live = new Set(connected);
    for (const id of [...this.byRunner.keys()]) if (!live.has(id)) this.byRunner.delete(id);
    const worst = new Map<string, BreakerState>();
    for (const states of this.byRunner.values()) {
      for (const [tool, state] of states) {
        const seen = worst.get(tool);
        if (seen === undefined || SEVERITY[state] > SEVERITY[seen]) worst.set(tool, state);
      }
    }
    return worst;
  }
}
