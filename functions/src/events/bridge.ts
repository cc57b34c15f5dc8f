import type { AppDeps } from '../deps';
import { TERMINAL } from '../jobs/types';
import { runnerEventData } from './runner-events';

/**
 * Feed job lifecycle, runner joins/leaves and registry changes into the service event bus, and audit every job that ends.
 * Event data never carries lease ids.
 */
export function bridgeEvents(deps: AppDeps): () => void {
  const offJobs = deps.jobs.subscribe((e) => {
    const j = e.job;
    const data: Record<string, unknown> = { jobId: j.id, tool: j.tool, status: j.status, principal: j.principal, target: j.target };
    if (e.type === 'progress') data['progress'] = e.progress;
    if (j.runnerId) data['runnerId'] = j.runnerId;
    if (j.error && TERMINAL.has(j.status)) data['error'] = j.error;
    if (e.type === 'succeeded' && j.durationMs !== undefined) data['durationMs'] = j.durationMs;
    deps.events.publish(`job.${e.type}`, data);
    if (TERMINAL.has(j.status) && e.type !== 'progress') {
      deps.audit?.({
        kind: 'execute',
        principal: j.principal,
        tool: j.tool,
        jobId: j.id,
        params: j.params,
        target: j.target,
        resolvedAddress: j.resolvedAddress,
        outcome: j.status === 'failed' ? `failed:${j.error?.code ?? 'UNKNOWN'}` : j.status,
        durationMs: j.durationMs,
      });
    }
  });
  const offTools = deps.registry.onChange((name, enabled) => {
    deps.events.publish('tools.list_changed', { tool: name, enabled });
  });
  const offRunners = deps.jobs.subscribeRunners((e) => {
    deps.events.publish(`runner.${e.type}`, runnerEventData(e));
  });
  return () => {
    offJobs();
    offTools();
    offRunners();
  };
}
