import { type OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { AppEnv } from '../app-env';
import { requireScope } from '../auth/require-scope';
import type { Principal } from '../auth/scopes';
import type { AppDeps } from '../deps';
import { ApiError } from '../errors/api-error';
import { toJobView } from '../jobs/job-view';
import type { Job } from '../jobs/types';
import { JobStatusSchema, JobViewSchema } from '../schemas/job';
import { bearer, errorResponses, jsonBody } from '../schemas/responses';

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
      }),
    },
    responses: { 200: jsonBody(z.object({ jobs: z.array(JobViewSchema), total: z.number().int() })), ...errorResponses(400, 401, 403) },
  });
  app.openapi(list, async (c) => {
    const { status, tool, limit } = c.req.valid('query');
    const jobs = (await deps.jobs.list({ status, tool })).filter((j) => visibleTo(c.var.principal, j)).reverse();
    return c.json({ jobs: jobs.slice(0, limit).map(toJobView), total: jobs.length }, 200);
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
    responses: { 200: jsonBody(JobViewSchema), ...errorResponses(401, 403, 404) },
  });
  app.openapi(one, async (c) => {
    const job = await deps.jobs.get(c.req.valid('param').id);
    if (!job || !visibleTo(c.var.principal, job)) throw ApiError.of('NOT_FOUND', 'No such job.');
    return c.json(toJobView(job), 200);
  });
}
