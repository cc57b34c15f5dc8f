import { describeTransportFailure } from '../../../functions/shared/errors/transport-failure';
import type { ErrorCode, ErrorInfo } from './types.js';

/**
 * The API answered with an error: its `code` (one of the API's error codes, docs/design.md "Errors"), the HTTP
 * status, what to do about it (`recoverySuggestion`) and the request id to quote to an operator.
 */
export class NetdiagError extends Error {
  override readonly name = 'NetdiagError';
  readonly code: ErrorCode;
  readonly recoverySuggestion: string;
  readonly details: Readonly<Record<string, unknown>> | undefined;
  readonly requestId: string | undefined;
  /** How long the API asked to wait before trying again (its `Retry-After`, in ms; 429 and 503 carry one). */
  readonly retryAfterMs: number | undefined;

  constructor(
    readonly status: number,
    info: ErrorInfo,
    retryAfterMs?: number | undefined,
  ) {
    super(info.message);
    this.code = info.code;
    this.recoverySuggestion = info.recoverySuggestion;
    this.details = info.details;
    this.requestId = info.requestId;
    this.retryAfterMs = retryAfterMs;
  }
}

/**
 * No answer from the API: refused connection, or a certificate problem, named with the setting that fixes it
 * (`problem`, `fix`) instead of a bare "fetch failed".
 */
export class NetdiagTransportError extends Error {
  override readonly name = 'NetdiagTransportError';
  readonly problem: string;
  readonly fix: string | undefined;

  constructor(url: string, cause: unknown) {
    const named = describeTransportFailure(cause);
    const problem = named?.problem ?? socketReason(cause);
    super(`Cannot reach the netdiag API at ${url}: ${problem}`, { cause });
    this.problem = problem;
    this.fix = named?.fix;
  }
}

/** What fetch's `cause` says, as precisely as Node says it: ECONNREFUSED, ENOTFOUND, … (one per address tried). */
function socketReason(err: unknown): string {
  const cause = (err as { cause?: { code?: unknown; message?: unknown; errors?: Array<{ code?: unknown }> } } | undefined)?.cause;
  const code = cause?.code ?? cause?.errors?.[0]?.code ?? cause?.message;
  return typeof code === 'string' ? code : String(err);
}

/** Turn a non-2xx response into a NetdiagError (a body that is not the error envelope still gets a code). */
export async function errorFrom(response: Response): Promise<NetdiagError> {
  const body = (await response.json().catch(() => undefined)) as { error?: ErrorInfo } | undefined;
  return new NetdiagError(
    response.status,
    body?.error ?? { code: 'UNKNOWN', message: `HTTP ${response.status} from the API`, recoverySuggestion: 'Check that the base URL points at a netdiag API.' },
    retryAfterMs(response.headers.get('retry-after')),
  );
}

/** `Retry-After` in delay-seconds, the form the API sends (429 rate limits, 503 while draining); anything else is no hint. */
function retryAfterMs(header: string | null): number | undefined {
  const seconds = Number(header);
  return header !== null && Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : undefined;
}
