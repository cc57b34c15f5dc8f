import type { RunnerEvent } from '../jobs/types';

/** The bus payload of runner.joined / runner.left: what the runner announced, never anything secret. */
export function runnerEventData(e: RunnerEvent): Record<string, unknown> {
  const r = e.runner;
  if (e.type === 'left') return { runnerId: r.runnerId, reason: e.reason, registered: r.registered };
  const data: Record<string, unknown> = { runnerId: r.runnerId, tools: [...r.tools], registered: r.registered, rejoined: e.rejoined };
  if (r.version !== undefined) data['version'] = r.version;
  if (r.privileged !== undefined) data['privileged'] = r.privileged;
  if (r.capacity !== undefined) data['capacity'] = r.capacity;
  return data;
}
