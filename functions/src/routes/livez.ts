import { type OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { AppEnv } from '../app-env';
import { jsonBody } from '../schemas/responses';
import { API_EXAMPLES as EX } from '../schemas/api-examples';

const route = createRoute({
  method: 'get',
  path: '/livez',
  operationId: 'livez',
  tags: ['health'],
  summary: 'Liveness: the process is up (no auth)',
  // Open on purpose (probes carry no token): said explicitly, so a linter or a generator does not guess.
  security: [],
  responses: { 200: jsonBody(z.object({ status: z.literal('ok') }).meta({ id: 'Liveness' }), 'OK', EX.liveness) },
});

export function registerLivez(app: OpenAPIHono<AppEnv>): void {
  app.openapi(route, (c) => c.json({ status: 'ok' as const }, 200));
}
