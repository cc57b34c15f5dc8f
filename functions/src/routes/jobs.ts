import { type OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { AppEnv } from '../app-env';
import { requireScope } from '../auth/require-scope';
import type { Principal } from '../auth/scopes';
import type { AppDeps } from '../deps';
import { ApiError } from '../errors/api-error';
import { toJobView } from '../jobs/job-view';
import type { Job } from '../jobs/types';
import { cancelAudit } from '../audit/cancel-audit';
import { errorInfo } from '../../shared/errors/codes';
import { busStream } from './sse';
import { JobListSchema, JobStatusSchema, JobViewSchema } from '../schemas/job';
import { bearer, errorResponses, jsonBody } from '../schemas/responses';
import { API_EXAMPLES as EX } from '../schemas/api-examples';

/** Admins see every job; everyone else sees their own. */
const visibleTo = (principal: Principal, job: Job): boolean => principal.scopes.has('tools:admin') || job.principal === principal.id;

export function registerJobs(app: OpenAPIHono<AppEnv>, deps: AppDeps): void {
  const readers = [requireScope(deps.tokens, 'tools:read')];

  const list = createRoute({
    method: 'get',
    path: '/jobs',
    operationId: 'list_jobs',
    tags: ['jobs'],
    summary: 'Jobs, newest first',
    security: bearer,
    middleware: readers,
    request: {
      query: z.object({
        status: JobStatusSchema.optional(),
        tool: z.string().max(64).optional(),
        limit: z.coerce.number().int().min(1).max(500).default(100),
        cursor: z.string().max(64).optional().describe('nextCursor from the previous page'),
      }),
    },
    responses: {
      200: jsonBody(JobListSchema, 'OK', EX.jobList),
      ...errorResponses(400, 401, 403),
    },
  });
  app.openapi(list, async (c) => {
    const { status, tool, limit, cursor } = c.req.valid('query');
    const jobs = (await deps.jobs.list({ status, tool })).filter((j) => visibleTo(c.var.principal, j)).reverse();
    const start = cursor ? jobs.findIndex((j) => j.id === cursor) + 1 : 0;
    const page = jobs.slice(start, start + limit);
    const last = page[page.length - 1];
    const more = start + limit < jobs.length && last !== undefined;
    return c.json({ jobs: page.map(toJobView), total: jobs.length, ...(more ? { nextCursor: last.id } : {}) }, 200);
  });

  const one = createRoute({
    method: 'get',
    path: '/jobs/{id}',
    operationId: 'get_job',
    tags: ['jobs'],
    summary: 'One job with its result or error',
    security: bearer,
    middleware: readers,
    request: { params: z.object({ id: z.string().min(1).max(64) }) },
    responses: { 200: jsonBody(JobViewSchema, 'OK', EX.jobView), ...errorResponses(401, 403, 404) },
  });
  app.openapi(one, async (c) => c.json(toJobView(await visibleJob(c.req.valid('param').id, c.var.principal)), 200));

  const visibleJob = async (id: string, principal: Principal): Promise<Job> => {
    const job = await deps.jobs.get(id);
    if (!job || !visibleTo(principal, job)) throw ApiError.of('NOT_FOUND', 'No such job.');
    return job;
  };

  const cancel = createRoute({
    method: 'delete',
    path: '/jobs/{id}',
    operationId: 'cancel_job',
    tags: ['jobs'],
    summary:
      'Cancel: a queued job ends at once; a running one is stopped by its runner as soon as it is told (milliseconds). Idempotent; an ended job is returned as it ended',
    security: bearer,
    middleware: [requireScope(deps.tokens, 'tools:run')],
    request: { params: z.object({ id: z.string().min(1).max(64) }) },
    responses: { 200: jsonBody(JobViewSchema, 'OK', { ...EX.jobView, status: 'cancelled' }), ...errorResponses(401, 403, 404) },
  });
  app.openapi(cancel, async (c) => {
    // Idempotent: a repeat or a cancel after the end answers with the job as it is (200), never an error.
    const job = await visibleJob(c.req.valid('param').id, c.var.principal);
    const before = { ...job };
    const after = (await deps.jobs.cancel(job.id, errorInfo('CANCELLED', `Cancelled by ${c.var.principal.id}.`))) ?? job;
    deps.audit?.(cancelAudit(c.var.principal.id, before, after));
    return c.json(toJobView(after), 200);
  });

  const events = createRoute({
    method: 'get',
    path: '/jobs/{id}/events',
    operationId: 'job_events',
    tags: ['jobs'],
    summary: 'Server-sent events for one job: state first, then queued/claimed/progress/succeeded/failed/cancelled; resumes after Last-Event-ID',
    security: bearer,
    middleware: readers,
    request: { params: z.object({ id: z.string().min(1).max(64) }) },
    responses: {
      200: { description: 'text/event-stream', content: { 'text/event-stream': { schema: z.string(), example: EX.jobEvents } } },
      ...errorResponses(401, 403, 404),
    },
  });
  app.openapi(events, async (c) => {
    const job = await visibleJob(c.req.valid('param').id, c.var.principal);
    const ended = (type: string): boolean => type === 'job.succeeded' || type === 'job.failed' || type === 'job.cancelled';
    return busStream(c, deps.events, {
      initial: async () => ({ event: 'state', data: toJobView((await deps.jobs.get(job.id)) ?? job) }),
      filter: (e) => e.data['jobId'] === job.id,
      last: (e) => ended(e.type),
    }) as never;
  });
}
