/** The typed refusals a guard returns instead of running the call. */
import { type ErrorInfo, errorInfo } from '../../../functions/shared/errors/codes';

export function breakerOpen(tool: string, threshold: number, retryAfterMs: number): ErrorInfo {
  const sec = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return errorInfo(
    'CIRCUIT_BREAKER_OPEN',
    `${tool} failed ${threshold} times in a row on this runner and is paused; it will be tried again in about ${sec}s.`,
    {
      details: { tool, state: 'OPEN', retryAfterMs: Math.max(0, Math.round(retryAfterMs)) },
    },
  );
}

export function busy(tool: string, why: string, details: object): ErrorInfo {
  return errorInfo('RESOURCE_EXHAUSTED', `${tool} cannot start on this runner: ${why}.`, { details: { tool, ...details } });
}

export function cancelledWhileWaiting(tool: string): ErrorInfo {
  return errorInfo('CANCELLED', `${tool} was cancelled while waiting for a free slot; it never started.`, { details: { tool } });
}
