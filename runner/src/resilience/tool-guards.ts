/**
 * Per-tool concurrency limit and circuit breaker, in the design's order: wait for a slot (bounded queue),
 * then the breaker check, then the call. Refusals come back as typed errors, never as exceptions:
 * CIRCUIT_BREAKER_OPEN (fail fast, the call is not invoked), RESOURCE_EXHAUSTED (queue full or waited too
 * long), CANCELLED (aborted while waiting). Errors thrown by the call itself are counted as failures and
 * rethrown unchanged.
 */
import { BrokenCircuitError, BulkheadRejectedError } from 'cockatiel';
import type { ErrorInfo } from '../../../functions/shared/errors/codes';
import { breakerOpen, busy, cancelledWhileWaiting } from './refusals';
import { type BreakerState, FAILED, NEUTRAL, ToolGuard, type ToolGuardState } from './tool-guard';
import type { Verdict } from './verdict';

export type { BreakerState, ToolGuardState, Verdict };

export interface ToolGuardOptions {
  /** Executions at once per tool (MCP_DEFAULT_CONCURRENCY, overridden by MCP_CONCURRENCY_<TOOL>). */
  concurrency: (tool: string) => number;
  /** Calls that may wait for a slot per tool; the next one is refused with RESOURCE_EXHAUSTED. Default 16. */
  queueLimit?: ((tool: string) => number) | undefined;
  /** Longest wait for a slot before RESOURCE_EXHAUSTED; default: wait (cancellation still ends the wait). */
  maxQueueWaitMs?: number | undefined;
  /** Consecutive failures that open a tool's breaker (MCP_CIRCUIT_BREAKER_THRESHOLD). */
  threshold: number;
  /** How long an open breaker refuses before letting one trial through (MCP_CIRCUIT_BREAKER_RECOVERY_SEC). */
  recoveryMs: number;
  /** Breaker transitions, for logs and metrics. */
  onStateChange?: ((tool: string, state: BreakerState) => void) | undefined;
}

export type Guarded<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo };

export interface RunOptions {
  /** Aborting while the call waits for a slot returns CANCELLED; once running, `fn` handles it itself. */
  signal?: AbortSignal | undefined;
  /** Longest wait for a slot for this call (e.g. the job's own timeout); overrides maxQueueWaitMs. */
  maxWaitMs?: number | undefined;
}

export interface ToolGuards {
  /**
   * Run `fn` for `tool` inside its guards. `classify` says what the result means for the breaker:
   * 'failure' counts, 'success' resets the count, 'neutral' does neither (see verdict.ts for job outcomes).
   */
  run<T>(tool: string, fn: () => Promise<T>, classify: (value: T) => Verdict, options?: RunOptions): Promise<Guarded<T>>;
  /** Every tool seen so far, for health and metrics. */
  state(): ToolGuardState[];
}

/** Guards are created per tool on first use; the map is bounded so odd tool names cannot grow it. */
const MAX_TOOLS = 64;
const DEFAULT_QUEUE = 16;

export function createToolGuards(options: ToolGuardOptions): ToolGuards {
  if (!Number.isInteger(options.threshold) || options.threshold < 1) throw new RangeError('threshold must be a positive integer');
  if (!(options.recoveryMs > 0)) throw new RangeError('recoveryMs must be positive');
  const guards = new Map<string, ToolGuard>();

  const guardFor = (tool: string): ToolGuard | undefined => {
    let g = guards.get(tool);
    if (!g && guards.size < MAX_TOOLS) {
      const concurrency = Math.max(1, Math.floor(options.concurrency(tool)));
      const queueLimit = Math.max(0, Math.floor(options.queueLimit?.(tool) ?? DEFAULT_QUEUE));
      g = new ToolGuard(tool, concurrency, queueLimit, options.threshold, options.recoveryMs, (s) => options.onStateChange?.(tool, s));
      guards.set(tool, g);
    }
    return g;
  };

  const throughBreaker = async <T>(g: ToolGuard, fn: () => Promise<T>, classify: (value: T) => Verdict): Promise<Guarded<T>> => {
    const out: { result?: { value: T } } = {};
    try {
      await g.breaker.execute(async () => {
        const value = await fn();
        out.result = { value };
        const verdict = classify(value);
        if (verdict === 'neutral') throw NEUTRAL;
        return verdict === 'failure' ? FAILED : value;
      });
    } catch (e) {
      // Opened (or half-open with its one trial running) while we waited for the slot: fn never ran.
      if (e instanceof BrokenCircuitError) return { ok: false, error: breakerOpen(g.tool, options.threshold, g.retryAfterMs()) };
      if (e !== NEUTRAL) throw e;
    }
    if (!out.result) throw new Error('tool guard: call finished without a result');
    return { ok: true, value: out.result.value };
  };

  const run = async <T>(tool: string, fn: () => Promise<T>, classify: (value: T) => Verdict, runOptions: RunOptions = {}): Promise<Guarded<T>> => {
    const { signal } = runOptions;
    const maxWaitMs = runOptions.maxWaitMs ?? options.maxQueueWaitMs;
    const g = guardFor(tool);
    if (!g) return { ok: false, error: busy(tool, `more than ${MAX_TOOLS} tools are guarded`, {}) };
    if (signal?.aborted) return { ok: false, error: cancelledWhileWaiting(tool) };
    // Fail fast before queueing: an open breaker must not make callers wait behind running jobs.
    const wait = g.retryAfterMs();
    if (wait > 0) return { ok: false, error: breakerOpen(tool, options.threshold, wait) };
    if (g.full) return { ok: false, error: busy(tool, `${g.active} running and ${g.queued} waiting (limits ${g.concurrency} and ${g.queueLimit})`, g.state()) };

    let gaveUp: ErrorInfo | undefined;
    let started = false;
    g.queued += 1;
    const slot = g.bulkhead.execute(async (): Promise<Guarded<T> | undefined> => {
      // cockatiel keeps a waiter that gave up in its queue; it must leave at once so the queue moves on
      // (cockatiel's own abort handling would throw here and stall the next waiter).
      if (gaveUp) return undefined;
      started = true;
      g.queued -= 1;
      g.active += 1;
      try {
        return await throughBreaker(g, fn, classify);
      } finally {
        g.active -= 1;
      }
    });

    let stopWaiting: (e: ErrorInfo) => void = () => undefined;
    const refused = new Promise<Guarded<T>>((resolve) => {
      stopWaiting = (error) => {
        if (started || gaveUp) return;
        gaveUp = error;
        g.queued -= 1;
        resolve({ ok: false, error });
      };
    });
    const onAbort = (): void => stopWaiting(cancelledWhileWaiting(tool));
    signal?.addEventListener('abort', onAbort, { once: true });
    const timer = maxWaitMs === undefined ? undefined : setTimeout(() => stopWaiting(busy(tool, `no free slot within ${maxWaitMs} ms`, g.state())), maxWaitMs);
    try {
      const ran = slot.then(
        (r): Guarded<T> => r ?? { ok: false, error: gaveUp ?? cancelledWhileWaiting(tool) },
        (e: unknown): Guarded<T> => {
          if (!(e instanceof BulkheadRejectedError)) throw e;
          if (!started && !gaveUp) g.queued -= 1;
          return { ok: false, error: busy(tool, 'its queue is full', g.state()) };
        },
      );
      // If the wait was given up, `ran` settles later without ever calling fn; nothing to observe then.
      ran.catch(() => undefined);
      return await Promise.race([ran, refused]);
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  };

  return { run, state: () => [...guards.values()].map((g) => g.state()) };
}
