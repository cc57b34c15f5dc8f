/**
 * Which failed tool calls never became a job, and why: validation, the target policy, the rate limit, the queue,
 * no connected runner offering the tool (NO_RUNNER without a jobId; the queue-wait NO_RUNNER carries one).
 * Jobs are counted when they end (job-metrics.ts); these are counted from the request that was refused, so every
 * call is counted exactly once. Pure: no I/O, no metrics, so it is easy to test.
 */
import { HTTPException } from 'hono/http-exception';
import { ApiError } from '../errors/api-error';
import type { ErrorCode } from '../../shared/errors/codes';

/** Refusals that happen before a job exists (a job's own failures carry details.jobId and are counted at its end). */
const BEFORE_JOB: ReadonlySet<ErrorCode> = new Set([
  'VALIDATION_ERROR',
  'FORBIDDEN_TARGET',
  'FORBIDDEN',
  'NOT_FOUND',
  'RATE_LIMITED',
  'RESOURCE_EXHAUSTED',
  'NO_RUNNER',
]);
const EXECUTE_PATH = /^\/tools\/([^/]+)\/execute$/;
const REASON = /^[a-z][a-z0-9_]{0,39}$/;

export interface CallRefusal {
  tool: string;
  code: ErrorCode;
  /** For VALIDATION_ERROR and FORBIDDEN_TARGET: the policy's reason, `schema`, `args_too_large`, `malformed` or `policy`. */
  validationReason: string | undefined;
}

/** The code app.onError answers with for this error (ApiError, or a Hono 4xx such as malformed JSON). */
function codeOf(err: unknown): { code: ErrorCode; details: Record<string, unknown> | undefined } | undefined {
  if (err instanceof ApiError) return { code: err.info.code, details: err.info.details };
  if (err instanceof HTTPException && err.status < 500)
    return { code: err.status === 401 ? 'UNAUTHORIZED' : 'VALIDATION_ERROR', details: { reason: 'malformed' } };
  return undefined;
}

function reasonOf(details: Record<string, unknown> | undefined): string {
  const reason = details?.['reason'];
  if (typeof reason === 'string' && REASON.test(reason)) return reason;
  if (Array.isArray(details?.['issues'])) return 'schema';
  if (details?.['field'] === 'body' && details['maxBytes'] !== undefined) return 'args_too_large';
  return 'policy';
}

/** A refused tool call (POST /tools/{tool}/execute answered with an error before any job), or undefined. */
export function refusedCall(method: string, path: string, error: unknown, isTool: (name: string) => boolean): CallRefusal | undefined {
  if (method !== 'POST' || error === undefined) return undefined;
  const tool = EXECUTE_PATH.exec(path)?.[1];
  if (tool === undefined || !isTool(tool)) return undefined;
  return toolCallRefusal(tool, error);
}

/** A call of the known tool `tool` that ended in `error`: a refusal before any job, or undefined (/mcp's direct calls too). */
export function toolCallRefusal(tool: string, error: unknown): CallRefusal | undefined {
  const known = codeOf(error);
  if (!known || !BEFORE_JOB.has(known.code) || known.details?.['jobId'] !== undefined) return undefined;
  const validation = known.code === 'VALIDATION_ERROR' || known.code === 'FORBIDDEN_TARGET';
  return { tool, code: known.code, validationReason: validation ? reasonOf(known.details) : undefined };
}
