import type { ErrorBody } from '../../openapi/client';
import { type TransportFailure, describeTransportFailure } from '../shared/errors/transport-failure';

/** What one API call came to, before it becomes an MCP answer. */
export type ApiAnswer<T> =
  | { kind: 'ok'; data: T }
  | { kind: 'error'; status: number; body: ErrorBody['error'] }
  | { kind: 'unreachable'; reason: string; transport?: TransportFailure }
  | { kind: 'aborted' };

/** What an openapi-fetch call resolves to. */
export interface FetchOutcome<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** The reason behind a failed fetch, as precise as Node's fetch says it (ECONNREFUSED, ENOTFOUND, …). */
function unreachableReason(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string; errors?: Array<{ code?: string }> } }).cause;
  return cause?.code ?? cause?.errors?.[0]?.code ?? cause?.message ?? String(err);
}

/**
 * Run one API call and sort the outcome. `signal` is the caller's (cancellation or deadline): when it fired the
 * answer is `aborted`, and the caller knows which of its clocks fired.
 */
export async function callApi<T>(fn: () => Promise<FetchOutcome<T>>, signal: AbortSignal): Promise<ApiAnswer<T>> {
  try {
    const { data, error, response } = await fn();
    if (response.ok && data !== undefined) return { kind: 'ok', data };
    const body = (error as ErrorBody | undefined)?.error;
    return {
      kind: 'error',
      status: response.status,
      body: body ?? {
        code: 'UNKNOWN',
        message: `HTTP ${response.status} from the API`,
        recoverySuggestion: 'Check that the API address points at a netdiag API.',
      },
    };
  } catch (err) {
    if (signal.aborted) return { kind: 'aborted' };
    // A certificate problem (or the shim's own refusal of plain HTTP) is named with the setting that fixes it.
    const transport = describeTransportFailure(err);
    return transport ? { kind: 'unreachable', reason: unreachableReason(err), transport } : { kind: 'unreachable', reason: unreachableReason(err) };
  }
}
