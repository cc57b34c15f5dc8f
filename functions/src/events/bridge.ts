import type { AppDeps } from '../deps';
import { TERMINAL } from '../jobs/types';
import { afterAnswer } from '../telemetry/after-answer';
import { runnerEventData } from './runner-events';

/**
 * Feed job lifecycle, runner joins/leaves and registry changes into the service event log, and audit every job that ends.
 * Event data never carries lease ids.
 *
 * Once per occurrence (docs/design.md, "Broker"): with a shared log every replica's subscribers receive every event, so
 * only the replica that made a change publishes (and audits) it. Job, runner and registry changes heard from another
 * replica through the shared store (origin `remote`) are not published again.
 */
/** A shared store's event about a change another replica made (JobEvent/RunnerEvent `origin`; absent = this replica). */
const heardFromElsewhere = (e: object): boolean => (e as { origin?: unknown }).origin === 'remote';

export function bridgeEvents(deps: AppDeps): () => void {
  const publish = (type: string, data: Record<string, unknown>): void => {
    deps.events.publish(type, data).catch((err: unknown) => deps.logger.warn({ err, event: type }, 'service event not published (event log unavailable)'));
  };
  // A job event goes out after the answers of this turn (issue 12): the held caller and the runner's claim are not kept
  // waiting for the event log and its subscribers. Its data is taken now; a subscriber that throws is logged, not thrown.
  const publishLater = (type: string, data: Record<string, unknown>): void =>
    afterAnswer(() => {
      try {
        publish(type, data);
      } catch (err) {
        deps.logger.warn({ err, event: type }, 'service event subscriber failed');
      }
    });
  const offJobs = deps.jobs.subscribe((e) => {
    if (heardFromElsewhere(e)) return;
    const j = e.job;
    const data: Record<string, unknown> = { jobId: j.id, tool: j.tool, status: j.status, principal: j.principal, target: j.target };
    if (e.type === 'progress') data['progress'] = e.progress;
    if (j.runnerId) data['runnerId'] = j.runnerId;
    if (j.error && TERMINAL.has(j.status)) data['error'] = j.error;
    if (e.type === 'succeeded' && j.durationMs !== undefined) data['durationMs'] = j.durationMs;
    publishLater(`job.${e.type}`, data);
    // The audit line stays synchronous: it is written before the held caller is woken (docs/security.md, "Audit").
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
  const offTools = deps.registry.onChange((name, enabled, origin) => {
    if (origin === 'local') publish('tools.list_changed', { tool: name, enabled });
  });
  // Subscribed before any stream or MCP session, so this replica's registry has another replica's change before they
  // hear of it (ToolRegistry.announced).
  const offAnnounced = deps.events.subscribe((e) => {
    const { tool, enabled } = e.data;
    if (e.type === 'tools.list_changed' && typeof tool === 'string' && typeof enabled === 'boolean') deps.registry.announced(tool, enabled);
  });
  const offRunners = deps.jobs.subscribeRunners((e) => {
    if (heardFromElsewhere(e)) return;
    publish(`runner.${e.type}`, runnerEventData(e));
  });
  return () => {
    offJobs();
    offTools();
    offAnnounced();
    offRunners();
  };
}
