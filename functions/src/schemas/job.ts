import { z } from 'zod';
import { ERROR_CODES } from '../errors/codes';

export const ErrorInfoSchema = z
  .object({
    code: z.enum(ERROR_CODES),
    message: z.string().max(4096),
    recoverySuggestion: z.string().max(4096),
    details: z.record(z.string(), z.unknown()).optional(),
  })
  .meta({ id: 'ErrorInfo' });

export const JobStatusSchema = z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled']).meta({ id: 'JobStatus' });

export const JobProgressSchema = z
  .object({
    progress: z.number().min(0),
    total: z.number().min(0).optional(),
    message: z.string().max(512).optional(),
  })
  .meta({ id: 'JobProgress' });

export const JobViewSchema = z
  .object({
    id: z.string(),
    tool: z.string(),
    status: JobStatusSchema,
    target: z.string(),
    principal: z.string(),
    params: z.record(z.string(), z.unknown()),
    createdAt: z.string().describe('ISO 8601'),
    claimedAt: z.string().optional(),
    finishedAt: z.string().optional(),
    runnerId: z.string().optional(),
    attempts: z.number().int(),
    progress: JobProgressSchema.optional(),
    resolvedAddress: z.string().optional(),
    durationMs: z.number().optional(),
    result: z.record(z.string(), z.unknown()).optional(),
    error: ErrorInfoSchema.optional(),
  })
  .meta({ id: 'JobView' });

export type JobView = z.infer<typeof JobViewSchema>;

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
    traceparent: z.string().max(55).optional().describe('W3C traceparent to continue: the runner\'s spans for this job join the caller\'s trace.'),
  })
  .meta({ id: 'RunnerJob' });

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

export const AcceptedJobSchema = z
  .object({
    jobId: z.string(),
    status: JobStatusSchema,
    reattached: z.boolean().describe('True when an earlier call with the same Idempotency-Key started this job.'),
    links: z.object({ self: z.string(), events: z.string() }),
  })
  .meta({ id: 'AcceptedJob' });
