import type { ErrorCode } from '../errors/codes';

/**
 * Every reason the target policy gives (parse-target.ts, target-policy.ts). Listed so the API can show each as
 * mcp_validation_rejections_total{reason} at 0 from start-up; refuse() takes only these, so the list cannot drift.
 */
export const TARGET_REFUSAL_REASONS = [
  'length',
  'cidr_not_supported',
  'non_canonical_ipv4',
  'ipv6_zone_id',
  'invalid_ipv6',
  'non_canonical_ipv6',
  'invalid_cidr',
  'invalid_prefix',
  'host_bits_set',
  'invalid_hostname',
  'range_too_large',
  'denied_range',
  'loopback_disabled',
  'tunnelled_ipv6',
  'not_allowed',
] as const;

export type TargetRefusalReason = (typeof TARGET_REFUSAL_REASONS)[number];

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
  reason: TargetRefusalReason,
  message: string,
  recoverySuggestion: string,
  details?: Record<string, unknown>,
): { ok: false; refusal: TargetRefusal } {
  const refusal: TargetRefusal = { code, reason, message, recoverySuggestion };
  if (details !== undefined) refusal.details = details;
  return { ok: false, refusal };
}
