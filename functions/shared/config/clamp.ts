/**
 * Safe ranges for numeric settings. A number outside its range is clamped with a warning instead of refusing
 * to start; anything that is not a number is left alone so the schema refuses it and names the key.
 * Only keys with a documented range (docs/design.md, "Configuration": timeout, concurrency, CIDR size) or owned by this
 * project's config layer are here; other integer settings keep their strict schema bounds.
 */
export interface ClampRange {
  min: number;
  max: number;
}

export const CLAMP_RANGES: Readonly<Record<string, ClampRange>> = {
  /** docs/design.md, "Configuration": tool timeout 60–3600 s. */
  MCP_DEFAULT_TIMEOUT_SEC: { min: 60, max: 3600 },
  /**
   * docs/design.md, "Configuration": concurrency per tool 1–64 (the design's 1–5 predates defaults that scale with
   * the cores, runner/src/concurrency.ts; 64 is the runner's own slot bound).
   */
  MCP_DEFAULT_CONCURRENCY: { min: 1, max: 64 },
  /** docs/security.md, "Targets": at most 1024 addresses per CIDR. */
  MCP_MAX_CIDR_HOSTS: { min: 1, max: 1024 },
  /** Calls per 60 s per token and tool; 0 turns rate limiting off. */
  MCP_RATE_LIMIT_PER_MINUTE: { min: 0, max: 10_000 },
  /** Request body bound for tool calls: below 1024 some valid calls (long http_probe paths) would not fit. */
  MCP_MAX_ARGS_LEN: { min: 1024, max: 65_536 },
};

/** A value that was changed at start-up, for the log (once) and GET /config. */
export interface ConfigWarning {
  key: string;
  given: string;
  used: string;
  message: string;
}

/** Clamp every out-of-range number in `values`; returns a new record and one warning per clamped key. */
export function clampConfig(
  values: Readonly<Record<string, string | undefined>>,
  ranges: Readonly<Record<string, ClampRange>> = CLAMP_RANGES,
): { values: Record<string, string | undefined>; warnings: ConfigWarning[] } {
  const out: Record<string, string | undefined> = { ...values };
  const warnings: ConfigWarning[] = [];
  for (const [key, range] of Object.entries(ranges)) {
    const given = values[key]?.trim();
    if (given === undefined || !/^[+-]?\d+$/.test(given)) continue;
    const n = Number(given);
    const used = Math.min(range.max, Math.max(range.min, n));
    if (used === n) continue;
    out[key] = String(used);
    warnings.push({ key, given, used: String(used), message: `${key}: ${given} is outside ${range.min}–${range.max}; using ${used}` });
  }
  return { values: out, warnings };
}
