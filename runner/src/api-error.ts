import { describeTransportFailure } from '../../functions/shared/errors/transport-failure';

/** Log fields for a failed call: a certificate problem is named with the setting that fixes it, not "fetch failed". */
export function failureFields(err: unknown): { err: string; problem?: string; fix?: string } {
  const transport = describeTransportFailure(err);
  return transport ? { err: String(err), problem: transport.problem, fix: transport.fix } : { err: String(err) };
}

/** A non-2xx answer from the API, as the runner sees it. */
export class ApiCallError extends Error {
  override readonly name = 'ApiCallError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly retryAfterMs?: number | undefined,
  ) {
    super(message);
  }
}

/** 408, 429 and 5xx are worth another try; so is any network error (no status). */
export function isRetryable(err: unknown): boolean {
  if (err instanceof ApiCallError) return err.status === 408 || err.status === 429 || err.status >= 500;
  return !(err instanceof DOMException && err.name === 'AbortError');
}

/** 401 and 403 stop the runner: retrying will not fix a token. */
export function isUnrecoverable(err: unknown): boolean {
  return err instanceof ApiCallError && (err.status === 401 || err.status === 403);
}

export function retryAfterMs(err: unknown): number | undefined {
  return err instanceof ApiCallError ? err.retryAfterMs : undefined;
}

export async function toApiCallError(response: Response, body: unknown): Promise<ApiCallError> {
  const error = (body as { error?: { code?: string; message?: string } } | undefined)?.error;
  const retryAfter = Number(response.headers.get('retry-after'));
  return new ApiCallError(
    response.status,
    error?.code ?? 'UNKNOWN',
    error?.message ?? `HTTP ${response.status}`,
    Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : undefined,
  );
}
