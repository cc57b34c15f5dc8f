import { sanitizeLine } from '../../shared/text/sanitize';
import type { RunnerRecord } from './types';

/** A runner keeps reasons for at most this many tools (the same bound as its tool list). */
export const MAX_UNAVAILABLE_TOOLS = 64;
/** Characters kept of one reason: enough for "what is missing and how to fix it", short enough to list several. */
export const MAX_REASON_CHARS = 200;

/** Why one connected runner does not offer a tool. */
export interface UnavailableOn {
  runnerId: string;
  reason: string;
}

/**
 * A runner's reasons as the API keeps them. The runner is not trusted: the text ends up in error messages, logs,
 * GET /tools and /health, so control characters, ANSI escapes and bidi overrides are stripped, whitespace is
 * collapsed and each reason capped. A reason for a tool the runner offers after all is dropped (offering wins),
 * and so is one that is empty once cleaned.
 */
export function keepReasons(raw: Readonly<Record<string, string>> | undefined, offered: readonly string[]): Record<string, string> | undefined {
  if (raw === undefined) return undefined;
  const kept: Array<[string, string]> = [];
  for (const [tool, reason] of Object.entries(raw).slice(0, MAX_UNAVAILABLE_TOOLS)) {
    if (offered.includes(tool)) continue;
    const clean = sanitizeLine(reason, Number.MAX_SAFE_INTEGER).replace(/\s+/g, ' ').trim();
    if (clean !== '') kept.push([tool, sanitizeLine(clean, MAX_REASON_CHARS)]);
  }
  // fromEntries defines own properties: a tool named __proto__ stays a plain key.
  return Object.fromEntries(kept);
}

/** The reason `runner` gave for not offering `tool`, if it gave one and does not offer it. */
export function reasonOf(runner: Pick<RunnerRecord, 'tools' | 'unavailable'>, tool: string): string | undefined {
  const reasons = runner.unavailable;
  if (!reasons || runner.tools.includes(tool) || !Object.hasOwn(reasons, tool)) return undefined;
  return reasons[tool];
}

/** Connected runners that do not offer `tool` and said why, by runner id. */
export function reasonsFor(tool: string, runners: readonly RunnerRecord[]): UnavailableOn[] {
  return runners
    .flatMap((r) => {
      const reason = reasonOf(r, tool);
      return reason === undefined ? [] : [{ runnerId: r.runnerId, reason }];
    })
    .sort((a, b) => a.runnerId.localeCompare(b.runnerId));
}
