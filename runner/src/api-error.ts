import { describeTransportFailure } from '../../functions/shared/errors/transport-failure';
import { NetdiagError } from '../../openapi/sdk/src/runner';

/**
 * Log fields for a failed call: a certificate problem is named with the setting that fixes it, not "fetch failed"
 * (the SDK's NetdiagTransportError keeps fetch's error as its `cause`, which names it).
 */
export function failureFields(err: unknown): { err: string; problem?: string; fix?: string } {
  const transport = describeTransportFailure(err);
  return transport ? { err: String(err), problem: transport.problem, fix: transport.fix } : { err: String(err) };
}

/** 408, 429 and 5xx answers are worth another try; so is any network error (no status), but not an abort. */
export function isRetryable(err: unknown): boolean {
  if (err instanceof NetdiagError) return err.status === 408 || err.status === 429 || err.status >= 500;
  return !(err instanceof DOMException && err.name === 'AbortError');
}

/** 401 and 403 stop the runner: retrying will not fix a token. */
export function isUnrecoverable(err: unknown): boolean {
  return err instanceof NetdiagError && (err.status === 401 || err.status === 403);
}

/** The wait the API asked for (Retry-After), which wins over the backoff. */
export function retryAfterMs(err: unknown): number | undefined {
  return err instanceof NetdiagError ? err.retryAfterMs : undefined;
}
