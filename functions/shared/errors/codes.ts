import type { ErrorInfo } from './error-info';

export type { ErrorInfo };

/**
 * The error vocabulary shared by the API, the runner and the shim.
 * Codes are upper-case names (docs/design.md, "Errors"); the table below is the ONLY place that maps a code to an HTTP status.
 */
export const ERROR_CODES = [
  'VALIDATION_ERROR',
  'FORBIDDEN_TARGET',
  'UNAUTHORIZED',
  'FORBIDDEN',
  'NOT_FOUND',
  'TIMEOUT',
  'EXECUTION_ERROR',
  'RESOURCE_EXHAUSTED',
  'CIRCUIT_BREAKER_OPEN',
  'NO_RUNNER',
  'RATE_LIMITED',
  'CANCELLED',
  'LEASE_CONFLICT',
  'API_UNREACHABLE',
  'UNAVAILABLE',
  'UNKNOWN',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 429 | 500 | 502 | 503 | 504;

export const HTTP_STATUS_BY_CODE: Readonly<Record<ErrorCode, ErrorStatus>> = {
  VALIDATION_ERROR: 400,
  FORBIDDEN_TARGET: 403,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  TIMEOUT: 504,
  EXECUTION_ERROR: 502,
  RESOURCE_EXHAUSTED: 503,
  CIRCUIT_BREAKER_OPEN: 503,
  NO_RUNNER: 503,
  RATE_LIMITED: 429,
  CANCELLED: 409,
  LEASE_CONFLICT: 409,
  API_UNREACHABLE: 502,
  UNAVAILABLE: 503,
  UNKNOWN: 500,
};

export const DEFAULT_RECOVERY: Readonly<Record<ErrorCode, string>> = {
  VALIDATION_ERROR: 'Fix the parameters named in details and call again.',
  FORBIDDEN_TARGET: 'Choose a target inside the allowed lab ranges (see GET /tools for the policy).',
  UNAUTHORIZED: 'Send a valid bearer token in the Authorization header.',
  FORBIDDEN: 'Use a token that carries the required scope for this operation.',
  NOT_FOUND: 'Check the name; GET /tools lists what exists.',
  TIMEOUT: 'Narrow the work (fewer targets, ports or probes) or raise timeoutSec within its bound.',
  EXECUTION_ERROR: 'Check the target and parameters; details carry the tool output summary.',
  RESOURCE_EXHAUSTED: 'Wait for running jobs to finish and try again.',
  CIRCUIT_BREAKER_OPEN: 'The tool failed repeatedly; wait for the recovery timeout and try again.',
  NO_RUNNER: 'Start a runner that can execute this tool (npm start runs one locally) and try again.',
  RATE_LIMITED: 'Wait for the time given in Retry-After and try again.',
  CANCELLED: 'The job was cancelled; start a new call if you still need the result.',
  LEASE_CONFLICT: 'The lease is no longer held by this runner; drop the job.',
  API_UNREACHABLE: 'Start the API (npm start) or fix NETDIAG_API_URL in the MCP client config.',
  UNAVAILABLE: 'The API cannot reach its shared state (Redis) just now; it reconnects by itself: retry in a few seconds.',
  UNKNOWN: 'Retry later; if it persists, report the requestId to the operator.',
};

export function errorInfo(
  code: ErrorCode,
  message: string,
  options: { recoverySuggestion?: string | undefined; details?: Record<string, unknown> | undefined } = {},
): ErrorInfo {
  const info: ErrorInfo = { code, message, recoverySuggestion: options.recoverySuggestion ?? DEFAULT_RECOVERY[code] };
  if (options.details !== undefined) info.details = options.details;
  return info;
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}
