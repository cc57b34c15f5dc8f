/** One tool's bulkhead (concurrency + bounded queue) and circuit breaker, built on cockatiel. */
import { type BulkheadPolicy, bulkhead, type CircuitBreakerPolicy, CircuitState, ConsecutiveBreaker, circuitBreaker, handleWhen } from 'cockatiel';

export type BreakerState = 'CLOSED' | 'OPEN' | 'HALF_OPEN';

/** Thrown through cockatiel for a neutral outcome: unhandled errors are neither success nor failure there. */
export const NEUTRAL = new Error('neutral outcome');
/** Returned through cockatiel for a failed outcome: the policy counts this value as a failure. */
export const FAILED = Symbol('failed outcome');

export interface ToolGuardState {
  tool: string;
  breaker: BreakerState;
  consecutiveFailures: number;
  /** While OPEN: time left before the next call is let through as the trial. */
  retryAfterMs: number;
  active: number;
  queued: number;
  concurrency: number;
  queueLimit: number;
}

export class ToolGuard {
  readonly bulkhead: BulkheadPolicy;
  readonly breaker: CircuitBreakerPolicy;
  private readonly counter: ConsecutiveBreaker;
  private openedAt: number | undefined;
  /** Our own counts: cockatiel's queue also holds entries whose callers already gave up. */
  active = 0;
  queued = 0;

  constructor(
    readonly tool: string,
    readonly concurrency: number,
    readonly queueLimit: number,
    threshold: number,
    private readonly recoveryMs: number,
    onChange: (state: BreakerState) => void,
  ) {
    this.bulkhead = bulkhead(concurrency, queueLimit);
    this.counter = new ConsecutiveBreaker(threshold);
    this.breaker = circuitBreaker(
      handleWhen((e) => e !== NEUTRAL).orWhenResult((r) => r === FAILED),
      { halfOpenAfter: recoveryMs, breaker: this.counter },
    );
    this.breaker.onStateChange((s) => {
      this.openedAt = s === CircuitState.Open ? Date.now() : undefined;
      onChange(this.mapped());
    });
  }

  /** > 0 while an open breaker still refuses; 0 when calls (or the trial) may go through. */
  retryAfterMs(now = Date.now()): number {
    const s = this.breaker.state;
    if (s === CircuitState.Isolated) return this.recoveryMs;
    if (s !== CircuitState.Open || this.openedAt === undefined) return 0;
    return Math.max(0, this.recoveryMs - (now - this.openedAt));
  }

  get full(): boolean {
    return this.active >= this.concurrency && this.queued >= this.queueLimit;
  }

  private mapped(): BreakerState {
    const s = this.breaker.state;
    if (s === CircuitState.Closed) return 'CLOSED';
    if (s === CircuitState.HalfOpen) return 'HALF_OPEN';
    // cockatiel moves to half-open lazily, on the next call after the recovery time; report it as due.
    return this.retryAfterMs() > 0 ? 'OPEN' : 'HALF_OPEN';
  }

  state(): ToolGuardState {
    return {
      tool: this.tool,
      breaker: this.mapped(),
      consecutiveFailures: this.counter.state,
      retryAfterMs: this.retryAfterMs(),
      active: this.active,
      queued: this.queued,
      concurrency: this.concurrency,
      queueLimit: this.queueLimit,
    };
  }
}
