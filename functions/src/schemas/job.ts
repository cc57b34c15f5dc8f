import { z } from 'zod';
import { ErrorInfoSchema } from '../../shared/errors/error-info';
import { JobProgressSchema, JobStatusSchema } from '../../shared/jobs/contract';

export { JobOutcomeSchema, JobProgressSchema, JobStatusSchema, RunnerControlSchema, RunnerJobSchema } from '../../shared/jobs/contract';
export { ErrorInfoSchema };

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

export const JobListSchema = z.object({ jobs: z.array(JobViewSchema), total: z.number().int(), nextCursor: z.string().optional() }).meta({ id: 'JobList' });

export const AcceptedJobSchema = z
  .object({
    jobId: z.string(),
    status: JobStatusSchema,
    reattached: z.boolean().describe('True when an earlier call with the same Idempotency-Key started this job.'),
    links: z.object({ self: z.string(), events: z.string() }),
  })
  .meta({ id: 'AcceptedJob' });
