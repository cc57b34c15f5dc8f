import { z } from 'zod';

/** Calls per window for one principal and tool; 0 means no limit. */
export const RATE_LIMIT_WINDOW_SEC = 60;
export const MAX_RATE_LIMIT = 10_000;

const ENTRY = /^([a-z0-9_-]{1,64})=(\d{1,6})$/;

/**
 * MCP_RATE_LIMITS: per-tool limits that replace MCP_RATE_LIMIT_PER_MINUTE for those tools,
 * e.g. "nmap=2,ping=60" (0 = no limit for that tool). Malformed entries refuse the configuration.
 */
export const RateLimitsSchema = z
  .string()
  .default('')
  .transform((spec, ctx): Readonly<Record<string, number>> => {
    const limits: Record<string, number> = {};
    for (const raw of spec.split(',')) {
      const entry = raw.trim();
      if (entry === '') continue;
      const m = ENTRY.exec(entry);
      const tool = m?.[1];
      const limit = Number(m?.[2]);
      if (!tool || limit > MAX_RATE_LIMIT) {
        ctx.addIssue({ code: 'custom', message: `"${entry}" is not tool=N with N 0–${MAX_RATE_LIMIT} (e.g. nmap=2,ping=60)` });
        return z.NEVER;
      }
      if (Object.hasOwn(limits, tool)) {
        ctx.addIssue({ code: 'custom', message: `${tool} is given twice` });
        return z.NEVER;
      }
      limits[tool] = limit;
    }
    return limits;
  });
