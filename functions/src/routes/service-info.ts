import { type OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { AppEnv } from '../app-env';
import { requireScope } from '../auth/require-scope';
import type { AppDeps } from '../deps';
import { bearer, errorResponses, jsonBody } from '../schemas/responses';
import { API_EXAMPLES as EX } from '../schemas/api-examples';
import { SERVICE_LINKS } from '../schemas/service-links';

export const SERVICE_NAME = 'netdiag-mcp';
/** The MCP protocol revision the shim speaks (@modelcontextprotocol/sdk 1.x); change it here when moving on. */
export const MCP_PROTOCOL_VERSION = '2025-11-25';
export const OPENAPI_VERSION = '3.1.0';

/** The main endpoints by name; `endpoints` below lists every documented one. */
const LINKS = SERVICE_LINKS;

const ServiceInfoSchema = z
  .object({
    name: z.literal(SERVICE_NAME),
    version: z.string(),
    protocols: z.object({ mcp: z.literal(MCP_PROTOCOL_VERSION), openapi: z.literal(OPENAPI_VERSION) }),
    links: z.object(Object.fromEntries(Object.keys(LINKS).map((k) => [k, z.string()])) as Record<keyof typeof LINKS, z.ZodString>),
    endpoints: z
      .array(z.object({ method: z.string(), path: z.string(), summary: z.string() }))
      .describe('Every documented endpoint (the OpenAPI document has the details).'),
  })
  .meta({ id: 'ServiceInfo' });

type Endpoint = z.infer<typeof ServiceInfoSchema>['endpoints'][number];

/** GET / (tools:read): what this service is, which protocols it speaks and where its endpoints are. */
export function registerServiceInfo(app: OpenAPIHono<AppEnv>, deps: AppDeps): void {
  const route = createRoute({
    method: 'get',
    path: '/',
    operationId: 'get_service_info',
    tags: ['service'],
    summary: 'Service information: name, version, protocol versions, endpoints',
    security: bearer,
    middleware: [requireScope(deps.tokens, 'tools:read')],
    responses: { 200: jsonBody(ServiceInfoSchema, 'OK', EX.serviceInfo), ...errorResponses(401, 403) },
  });
  let endpoints: Endpoint[] | undefined;
  app.openapi(route, (c) => {
    // Read once, at the first call: every route is registered by then.
    endpoints ??= app.openAPIRegistry.definitions.flatMap((d) =>
      d.type === 'route' ? [{ method: d.route.method.toUpperCase(), path: d.route.path, summary: d.route.summary ?? '' }] : [],
    );
    return c.json(
      { name: SERVICE_NAME, version: deps.version, protocols: { mcp: MCP_PROTOCOL_VERSION, openapi: OPENAPI_VERSION }, links: LINKS, endpoints },
      200,
    );
  });
}
