import { sleep } from '../../functions/shared/sleep';

/** A retry policy; each API call documents which one it uses (see api.ts). */
export interface RetryPolicy {
  /** Attempts in all, Infinity for "until stopped". */
  attempts: number;
  baseMs: number;
  capMs: number;
}

export interface RetryHooks {
  signal?: AbortSignal | undefined;
  sleep?: ((ms: number, signal?: AbortSignal) => Promise<void>) | undefined;
  random?: (() => number) | undefined;
  /** Whether to try again after this error. */
  retryable: (err: unknown) => boolean;
  /** A server-given wait (Retry-After) wins over the backoff. */
  retryAfterMs?: ((err: unknown) => number | undefined) | undefined;
  onRetry?: ((err: unknown, attempt: number, waitMs: number) => void) | undefined;
}

/** Exponential backoff with full jitter, honouring Retry-After; stops early when the signal aborts. */
export async function withRetry<T>(fn: (attempt: number) => Promise<T>, policy: RetryPolicy, hooks: RetryHooks): Promise<T> {
  const wait = hooks.sleep ?? sleep;
  const random = hooks.random ?? Math.random;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await fn(attempt);
    } catch (err) {
      if (attempt >= policy.attempts || !hooks.retryable(err) || hooks.signal?.aborted) throw err;
      const backoff = Math.min(policy.capMs, policy.baseMs * 2 ** (attempt - 1));
      const waitMs = hooks.retryAfterMs?.(err) ?? Math.floor(random() * backoff);
      hooks.onRetry?.(err, attempt, waitMs);
      await wait(waitMs, hooks.signal);
    }
  }
}
