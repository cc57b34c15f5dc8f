import { type OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { AppEnv } from '../app-env';
import { requireScope } from '../auth/require-scope';
import { requireRunnerCertificate } from '../auth/runner-certificate';
import type { AppDeps } from '../deps';
import { JobOutcomeSchema, JobProgressSchema, RunnerControlSchema, RunnerJobSchema } from '../schemas/job';
import { bearer, errorResponses, jsonBody, jsonRequest } from '../schemas/responses';
import { RUNNER_PROTOCOL_EXAMPLES as EXAMPLES } from '../schemas/runner-examples';
import type { JobOutcome, JobProgress } from '../jobs/types';
import { BREAKER_STATES } from '../telemetry/breaker-board';
import { markArrival } from '../../shared/telemetry/stage-arrival';
import { markStage, markStageOnWrite } from '../../shared/telemetry/stage-times';

export const RunnerId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9._-]+$/);
const JobIdParam = z.object({ id: z.string().min(1).max(64) });
const LeaseId = z.string().min(1).max(64);
/** A runner's circuit breakers, sent with claims and completions: shown as mcp_circuit_breaker_state by GET /metrics. */
const Breakers = z
  .record(z.string().max(64), z.enum(BREAKER_STATES))
  .refine((r) => Object.keys(r).length <= 64, 'at most 64 tools')
  .describe("This runner's circuit breaker per tool; tools left out count as CLOSED.");
const WaitMs = z.number().int().min(0).max(120000).optional().describe('Longest wait; the server caps it.');

// The bodies as named components (docs/design.md, "API"); module-level because a zod id may be registered once per process.
const ClaimRequest = z
  .object({
    runnerId: RunnerId,
    tools: z.array(z.string().max(64)).max(64).describe('Tools this runner can execute right now.'),
    waitMs: WaitMs,
    breakers: Breakers.optional(),
  })
  .meta({ id: 'RunnerClaimRequest' });
const ClaimResponse = z
  .object({ job: RunnerJobSchema.optional(), pollAgainMs: z.number().int().describe('Delay the server asks for before the next claim.') })
  .meta({ id: 'RunnerClaimResponse' });
const HeartbeatRequest = z.object({ leaseId: LeaseId, progress: JobProgressSchema.optional() }).meta({ id: 'RunnerHeartbeatRequest' });
const HeartbeatResponse = z.object({ cancelRequested: z.boolean(), leaseExpiresAt: z.number().int() }).meta({ id: 'RunnerHeartbeatResponse' });
const ControlRequest = z.object({ runnerId: RunnerId, waitMs: WaitMs }).meta({ id: 'RunnerControlRequest' });
const ControlResponse = z.object({ messages: z.array(RunnerControlSchema).max(64) }).meta({ id: 'RunnerControlResponse' });
const CompleteRequest = z.object({ leaseId: LeaseId, outcome: JobOutcomeSchema, breakers: Breakers.optional() }).meta({ id: 'RunnerCompleteRequest' });
const CompleteResponse = z.object({ accepted: z.literal(true), duplicate: z.boolean() }).meta({ id: 'RunnerCompleteResponse' });

/** The pull protocol: runners claim (long-poll), heartbeat (carries progress, learns of cancellation), complete. */
export function registerRunnerProtocol(app: OpenAPIHono<AppEnv>, deps: AppDeps): void {
  const runnerOnly = [requireScope(deps.tokens, 'runner'), requireRunnerCertificate(deps.runnerCertificate)];

  const claim = createRoute({
    method: 'post',
    path: '/runner/claim',
    operationId: 'runner_claim',
    tags: ['runner'],
    summary: 'Long-poll for a job this runner can run',
    security: bearer,
    middleware: runnerOnly,
    request: { body: jsonRequest(ClaimRequest, EXAMPLES.claimRequest) },
    responses: {
      200: jsonBody(ClaimResponse, 'OK', EXAMPLES.claimResponse),
      ...errorResponses(400, 401, 403, 503),
    },
  });
  app.openapi(claim, async (c) => {
    const body = c.req.valid('json');
    const waitMs = Math.min(body.waitMs ?? deps.settings.longPollMs, deps.settings.longPollMs);
    if (body.breakers) deps.telemetry.breakers.report(body.runnerId, body.breakers);
    const lease = await deps.jobs.claim({ runnerId: body.runnerId, tools: body.tools, waitMs, signal: c.req.raw.signal });
    if (!lease) {
      c.set('idleClaim', true);
      return c.json({ pollAgainMs: 0 }, 200);
    }
    const { job } = lease;
    markStage(job.id, 'api.claimAnswered');
    markStageOnWrite(c.req.raw, job.id, 'api.claimWritten');
    const traceparent = deps.telemetry.jobs.claimTraceparent(job);
    return c.json(
      {
        job: {
          id: job.id,
          tool: job.tool,
          params: job.params,
          timeoutSec: job.timeoutSec,
          attempt: job.attempts,
          leaseId: lease.leaseId,
          leaseExpiresAt: lease.leaseExpiresAt,
          heartbeatIntervalMs: lease.heartbeatIntervalMs,
          ...(traceparent ? { traceparent } : {}),
        },
        pollAgainMs: 0,
      },
      200,
    );
  });

  const heartbeat = createRoute({
    method: 'post',
    path: '/runner/jobs/{id}/heartbeat',
    operationId: 'runner_heartbeat',
    tags: ['runner'],
    summary: 'Renew the lease, report progress, learn whether the job was cancelled',
    security: bearer,
    middleware: runnerOnly,
    request: {
      params: JobIdParam,
      body: jsonRequest(HeartbeatRequest, EXAMPLES.heartbeatRequest),
    },
    responses: {
      200: jsonBody(HeartbeatResponse, 'OK', EXAMPLES.heartbeatResponse),
      ...errorResponses(400, 401, 403, 404, 409),
    },
  });
  app.openapi(heartbeat, async (c) => {
    const { leaseId, progress } = c.req.valid('json');
    const reply = await deps.jobs.heartbeat(c.req.valid('param').id, leaseId, progress as JobProgress | undefined);
    return c.json(reply, 200);
  });

  const control = createRoute({
    method: 'post',
    path: '/runner/control',
    operationId: 'runner_control',
    tags: ['runner'],
    summary: 'Long-poll for control messages (stop a job now); answers at the first message or after waitMs with none',
    security: bearer,
    middleware: runnerOnly,
    request: { body: jsonRequest(ControlRequest, EXAMPLES.controlRequest) },
    responses: {
      200: jsonBody(ControlResponse, 'OK', EXAMPLES.controlResponse),
      ...errorResponses(400, 401, 403),
    },
  });
  app.openapi(control, async (c) => {
    const body = c.req.valid('json');
    const waitMs = Math.min(body.waitMs ?? deps.settings.longPollMs, deps.settings.longPollMs);
    const messages = await deps.jobs.waitControl(body.runnerId, waitMs, c.req.raw.signal);
    return c.json({ messages }, 200);
  });

  const complete = createRoute({
    method: 'post',
    path: '/runner/jobs/{id}/complete',
    operationId: 'runner_complete',
    tags: ['runner'],
    summary: 'Report the outcome (idempotent for the same lease)',
    security: bearer,
    middleware: runnerOnly,
    request: {
      params: JobIdParam,
      body: jsonRequest(CompleteRequest, EXAMPLES.completeRequest),
    },
    responses: {
      200: jsonBody(CompleteResponse, 'OK', EXAMPLES.completeResponse),
      ...errorResponses(400, 401, 403, 404, 409),
    },
  });
  app.openapi(complete, async (c) => {
    const { leaseId, outcome, breakers } = c.req.valid('json');
    markArrival(c.req.raw, c.req.valid('param').id, 'api.completeArrived');
    markStage(c.req.valid('param').id, 'api.completeReceived');
    const { duplicate, job } = await deps.jobs.complete(c.req.valid('param').id, leaseId, outcome as JobOutcome);
    if (breakers && job.runnerId) deps.telemetry.breakers.report(job.runnerId, breakers);
    // The caller held on this job is answered first: its answer was ~0.3 ms behind this one, written in the same turn
    // (issue 12; docs/design.md, "Runner transport"). The runner waits for nothing but this acknowledgement.
    if (typeof setImmediate === 'function') await new Promise<void>((resolve) => setImmediate(resolve));
    return c.json({ accepted: true as const, duplicate }, 200);
  });
}
