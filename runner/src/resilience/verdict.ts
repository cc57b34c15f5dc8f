/**
 * Which outcomes tell the circuit breaker something about the tool. Only executions that really failed count
 * against it (EXECUTION_ERROR: the binary crashed or could not run; TIMEOUT). A refusal (validation, forbidden
 * target), a cancellation or a guard's own refusal says nothing about the tool: neutral. A completed run is a
 * success even when the network answer is bad news: 100% ping loss or a host that is down is a valid result.
 */
import type { JobOutcome } from '../../../openapi/sdk/src/runner';

export type Verdict = 'success' | 'failure' | 'neutral';

const FAILURES: ReadonlySet<string> = new Set(['EXECUTION_ERROR', 'TIMEOUT']);

export function classifyOutcome(outcome: JobOutcome): Verdict {
  if (outcome.status === 'succeeded') return 'success';
  return FAILURES.has(outcome.error.code) ? 'failure' : 'neutral';
}
