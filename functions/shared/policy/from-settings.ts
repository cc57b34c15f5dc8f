import { ConfigError } from '../config/env-schema';
import { AllowlistError, parseAllowlist } from './allowlist';
import { TargetPolicy } from './target-policy';

export interface PolicySettings {
  allowedTargets: string;
  allowLoopback: boolean;
  maxCidrHosts: number;
}

/** The target policy from settings (API and runner alike); a bad allowlist is a ConfigError naming the key. */
export function policyFromSettings(s: PolicySettings): TargetPolicy {
  try {
    return new TargetPolicy({ allowlist: parseAllowlist(s.allowedTargets, s.allowLoopback), maxHosts: s.maxCidrHosts });
  } catch (err) {
    if (err instanceof AllowlistError) throw new ConfigError(err.message);
    throw err;
  }
}
