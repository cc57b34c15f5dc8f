import type { ApiSettings } from '../config/settings';
import { ConfigError } from '../../shared/config/env-schema';
import { RATE_LIMIT_WINDOW_SEC } from './limit-spec';
import type { RateBuckets } from './rate-buckets';
import { RateLimiter } from './rate-limiter';

/** The limiter from settings, over `buckets` (shared ones from the broker) or this process's memory; a per-tool limit for a tool that does not exist is a ConfigError. */
export function createRateLimiter(
  settings: Pick<ApiSettings, 'rateLimitPerMinute' | 'rateLimits'>,
  toolNames: readonly string[],
  now?: () => number,
  buckets?: RateBuckets,
): RateLimiter {
  const perTool = new Map(Object.entries(settings.rateLimits));
  for (const tool of perTool.keys()) {
    if (!toolNames.includes(tool)) throw new ConfigError(`MCP_RATE_LIMITS: no tool named "${tool}" (tools: ${toolNames.join(', ')})`);
  }
  return new RateLimiter({ limitFor: (tool) => perTool.get(tool) ?? settings.rateLimitPerMinute, windowMs: RATE_LIMIT_WINDOW_SEC * 1000, now, buckets });
}
