/**
 * The job contract between API and runner: what a runner receives, reports while it runs and reports at the end.
 * One zod schema per shape; the TypeScript types are inferred (docs/design.md, "Job protocol").
 */
import { z } from 'zod';
import { ErrorInfoSchema } from '../errors/error-info';
import type { DeepExactOptional, ExactOptional } from '../types/exact-optional';

export const JobStatusSchema = z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled']).meta({ id: 'JobStatus' });

export const JobProgressSchema = z
  .object({
    progress: z.number().min(0),
    total: z.number().min(0).optional(),
    message: z.string().max(512).optional(),
  })
  .meta({ id: 'JobProgress' });

export type JobStatus = z.infer<typeof JobStatusSchema>;
export type JobProgress = ExactOptional<z.infer<typeof JobProgressSchema>>;

export const RunnerJobSchema = z
  .object({
    id: z.string(),
    tool: z.string(),
    params: z.record(z.string(), z.unknown()),
    timeoutSec: z.number().int(),
    attempt: z.number().int(),
    leaseId: z.string(),
    leaseExpiresAt: z.number().int().describe('Epoch milliseconds'),
    heartbeatIntervalMs: z.number().int(),
    traceparent: z.string().max(55).optional().describe("W3C traceparent to continue: the runner's spans for this job join the caller's trace."),
  })
  .meta({ id: 'RunnerJob' });

export type RunnerJob = z.infer<typeof RunnerJobSchema>;

export const JobOutcomeSchema = z
  .discriminatedUnion('status', [
    z.object({
      status: z.literal('succeeded'),
      result: z.record(z.string(), z.unknown()),
      resolvedAddress: z.string().max(64).optional(),
      durationMs: z.number().min(0),
    }),
    z.object({
      status: z.literal('failed'),
      error: ErrorInfoSchema,
      result: z.record(z.string(), z.unknown()).optional().describe('Partial result parsed before the failure, e.g. on TIMEOUT.'),
      resolvedAddress: z.string().max(64).optional(),
      durationMs: z.number().min(0),
    }),
  ])
  .meta({ id: 'JobOutcome' });

/** What a runner reports when it finishes a job. */
export type JobOutcome = DeepExactOptional<z.infer<typeof JobOutcomeSchema>>;

/**
 * A control message the API pushes to one runner over its control long-poll (POST /runner/control): stop a job now.
 * `cancel`: someone cancelled it; `lease-revoked`: the API gave up on it (its lease is gone). The heartbeat reply
 * carries the same news later, for a runner whose control poll is down (docs/design.md, "Job protocol").
 */
export const RunnerControlSchema = z
  .object({
    type: z.enum(['cancel', 'lease-revoked']),
    jobId: z.string().max(64),
    leaseId: z.string().max(64),
  })
  .meta({ id: 'RunnerControl' });

export type RunnerControl = z.infer<typeof RunnerControlSchema>;
