import type { ErrorCode } from '../errors/codes';

/** Why a target was refused. `code` is VALIDATION_ERROR for malformed input, FORBIDDEN_TARGET for policy. */
export interface TargetRefusal {
  code: Extract<ErrorCode, 'VALIDATION_ERROR' | 'FORBIDDEN_TARGET'>;
  reason: string;
  message: string;
  recoverySuggestion: string;
  details?: Record<string, unknown>;
}

export type Checked<T> = { ok: true; value: T } | { ok: false; refusal: TargetRefusal };

export function refuse(
  code: TargetRefusal['code'],
  reason: string,
  message: string,
  recoverySuggestion: string,
  details?: Record<string, unknown>,
): { ok: false; refusal: TargetRefusal } {
  const refusal: TargetRefusal = { code, reason, message, recoverySuggestion };
  if (details !== undefined) refusal.details = details;
  return { ok: false, refusal };
}
