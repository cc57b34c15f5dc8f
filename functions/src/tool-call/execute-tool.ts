import type { z } from 'zod';
import type { Principal } from '../auth/scopes';
import type { AppDeps } from '../deps';
import { ApiError } from '../errors/api-error';
import { holdUntilDone, superviseJob } from '../jobs/hold';
import { cancelAudit } from '../audit/cancel-audit';
import { noRunnerOffers } from '../jobs/no-runner';
import type { AcceptedJobSchema } from '../schemas/job';
import type { AnyToolDefinition } from '../../shared/tool/definition';
import { markArrival } from '../../shared/telemetry/stage-arrival';
import { markStage, stageClock } from '../../shared/telemetry/stage-times';
import type { SucceededBody } from '../routes/tool-schemas';
import { endedJobBody } from './ended-job';

/** One tool call after its request checks (scope, drain gate, rate limit, size, validation: direct-call.ts lists them). */
export interface ExecuteInput {
  principal: Principal;
  /** The parameters as the tool's schema gave them back. */
  params: Record<string, unknown>;
  idempotencyKey: string | undefined;
  /** Answer at once with the job (202) instead of holding the call until it ends. */
  respondAsync: boolean;
  /** The caller's: when it fires the held call ends, and a keyless job is cancelled (audited like DELETE). Read only to hold. */
  readonly signal: AbortSignal;
  /** The job's traceparent, asked for only when a job is made (a REST request's span is made when first asked for). */
  traceparent: () => string | undefined;
  /** What the call's arrival was noted under (shared/telemetry/stage-arrival.ts), for the job's api.arrived. */
  arrival: object;
}

/** The 202 body: the job, new or reattached (the route's documented AcceptedJob). */
export type AcceptedBody = z.infer<typeof AcceptedJobSchema>;

export type ExecuteOutcome = { kind: 'accepted'; body: AcceptedBody } | { kind: 'finished'; body: SucceededBody };

/**
 * A tool call, the same for POST /tools/{name}/execute (routes/tool-execute.ts) and /mcp's direct calls
 * (direct-call.ts): the tool enabled and allowed to the token, the tool's own parameter rules, the target policy,
 * the Idempotency-Key (a retry reattaches), a runner that offers it, the job queued and supervised; then either the
 * job at once or the call held until the job ends (ended-job.ts). Refusals and failures are thrown as ApiError.
 */
export async function executeTool(deps: AppDeps, def: AnyToolDefinition, input: ExecuteInput): Promise<ExecuteOutcome> {
  const entered = stageClock(); // bench's per-stage breakdown only (shared/telemetry/stage-times.ts)
  const { principal, params, idempotencyKey } = input;
  if (!deps.registry.isEnabled(def.name)) {
    throw ApiError.of('NOT_FOUND', `Tool ${def.name} is disabled.`, {
      recoverySuggestion: 'An admin can enable it (POST /tools/{name}/enable); GET /tools lists enabled tools.',
      details: { tool: def.name, disabled: true },
    });
  }
  if (principal.tools && !principal.tools.has(def.name)) {
    throw ApiError.of('FORBIDDEN', `This token may not run ${def.name}.`, { recoverySuggestion: `Use a token whose tool list includes ${def.name}.` });
  }
  // The runner's privilege is unknown here: it re-checks with its own.
  const paramRefusal = def.policy.checkParams?.(params, { allowIntrusive: deps.settings.allowIntrusive, privileged: true });
  if (paramRefusal) throw ApiError.of(paramRefusal.code, paramRefusal.message, { recoverySuggestion: paramRefusal.recoverySuggestion });
  const target = String(params[def.policy.targetField]);
  const verdict = deps.policy.check(target, { allowCidr: def.policy.allowCidr });
  if (!verdict.ok) {
    const { code, message, recoverySuggestion, reason, details } = verdict.refusal;
    throw ApiError.of(code, message, { recoverySuggestion, details: { ...details, reason, field: def.policy.targetField } });
  }
  const timeoutSec = typeof params['timeoutSec'] === 'number' ? params['timeoutSec'] : def.policy.defaultTimeoutSec;
  const existing = idempotencyKey ? await deps.jobs.findByKey(principal.id, idempotencyKey) : undefined;
  if (existing && existing.tool !== def.name) {
    throw ApiError.of('VALIDATION_ERROR', 'This Idempotency-Key was used for another tool.', { recoverySuggestion: 'Use a fresh key per call.' });
  }
  let queued = existing;
  if (!queued) {
    // Refused before a job exists when runners are connected and none offers the tool: waiting could not help,
    // and the caller learns why at once (jobs/no-runner.ts). With no runner at all the job waits (one may be starting).
    const unoffered = noRunnerOffers(def.name, await deps.jobs.runners());
    if (unoffered) throw new ApiError(unoffered);
    queued = await deps.jobs.enqueue({
      tool: def.name,
      params,
      target,
      principal: principal.id,
      timeoutSec,
      idempotencyKey,
      traceparent: input.traceparent(),
    });
    superviseJob(deps.jobs, queued, deps.settings);
    markArrival(input.arrival, queued.id, 'api.arrived');
    markStage(queued.id, 'api.handler', entered);
    markStage(queued.id, 'api.enqueued');
  }
  if (input.respondAsync) {
    const links = { self: `/jobs/${queued.id}`, events: `/jobs/${queued.id}/events` };
    return { kind: 'accepted', body: { jobId: queued.id, status: queued.status, reattached: existing !== undefined, links } };
  }
  // A caller that goes away cancels its keyless job (an MCP client's notifications/cancelled does this): audited like DELETE.
  const job = await holdUntilDone(deps.jobs, queued, input.signal, (before, after) => deps.audit?.(cancelAudit(principal.id, before, after)));
  markStage(job.id, 'api.ended');
  const body = endedJobBody(deps, def, job);
  markStage(job.id, 'api.answered');
  return { kind: 'finished', body };
}
