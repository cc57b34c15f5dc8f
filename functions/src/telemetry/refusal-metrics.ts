import { apiInstruments, statusLabel } from './instruments';
import type { CallRefusal } from './refusals';

/**
 * Count a tool call refused before any job (refusals.ts): the execution counter by its code, and the rate-limit or
 * validation counter. Each call is counted once, whichever way it came: a REST request after its answer
 * (http-telemetry.ts), a direct /mcp tool call after its refusal (tool-call/direct-call.ts).
 */
export function countRefusal(refused: CallRefusal): void {
  const m = apiInstruments();
  m.executions.add(1, { tool: refused.tool, status: statusLabel(refused.code) });
  if (refused.code === 'RATE_LIMITED') m.rateLimited.add(1, { tool: refused.tool });
  if (refused.validationReason !== undefined) m.validation.add(1, { tool: refused.tool, reason: refused.validationReason });
}
