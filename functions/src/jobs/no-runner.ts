import { type ErrorInfo, errorInfo } from '../../shared/errors/codes';
import type { RunnerRecord } from './types';
import { type UnavailableOn, reasonOf } from './unavailable-reasons';

/** Runners named in a message, and listed in details: enough to act on, bounded whatever the roster holds. */
const MAX_NAMED = 5;
const MAX_LISTED = 16;

/** Every connected runner that does not offer `tool`, with its reason or the note that it gave none. */
export function whyNotOffered(tool: string, runners: readonly RunnerRecord[]): UnavailableOn[] {
  return runners
    .filter((r) => !r.tools.includes(tool))
    .map((r) => ({ runnerId: r.runnerId, reason: reasonOf(r, tool) ?? `does not offer ${tool} (no reason given)` }))
    .sort((a, b) => a.runnerId.localeCompare(b.runnerId));
}

/** "runner a: why; runner b: why; and 3 more" */
export function nameReasons(why: readonly UnavailableOn[]): string {
  const named = why.slice(0, MAX_NAMED).map((w) => `runner ${w.runnerId}: ${w.reason}`);
  if (why.length > MAX_NAMED) named.push(`and ${why.length - MAX_NAMED} more`);
  return named.join('; ');
}

/** details of a NO_RUNNER error: the counts hold.ts always gave, plus each runner's reason. */
export function noRunnerDetails(tool: string, runners: readonly RunnerRecord[], capable: number): Record<string, unknown> {
  const details: Record<string, unknown> = { tool, connectedRunners: runners.length, capableRunners: capable };
  if (capable === 0 && runners.length > 0) details['unavailable'] = whyNotOffered(tool, runners).slice(0, MAX_LISTED);
  return details;
}

/**
 * Fail fast: runners are connected and none offers `tool`, so a job would only wait out the queue wait for
 * nothing (issue 9: `dig` on a runner without NETDIAG_DNS_RESOLVER waited 15 s). The call is refused before a
 * job exists, with what each runner said. With no runner connected at all this returns undefined and the call
 * waits as before: a runner may be starting (npm start, a restart, a deploy), and the wait is what lets a call
 * made in that window succeed. A runner that gave no reason (older, or unregistered) still counts as connected.
 */
export function noRunnerOffers(tool: string, runners: readonly RunnerRecord[]): ErrorInfo | undefined {
  if (runners.length === 0 || runners.some((r) => r.tools.includes(tool))) return undefined;
  return errorInfo('NO_RUNNER', `No connected runner offers ${tool}: ${nameReasons(whyNotOffered(tool, runners))}.`, {
    recoverySuggestion: `Fix what the runner reports (details.unavailable) and restart it, or start a runner that offers ${tool}; GET /tools shows each tool's runners and reasons.`,
    details: noRunnerDetails(tool, runners, 0),
  });
}
