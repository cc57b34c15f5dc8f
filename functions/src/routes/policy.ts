import { type OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { AppEnv } from '../app-env';
import { requireScope } from '../auth/require-scope';
import type { AppDeps } from '../deps';
import { bearer, errorResponses, jsonBody } from '../schemas/responses';
import { API_EXAMPLES as EX } from '../schemas/api-examples';
import { ALWAYS_DENIED, LOOPBACK, TUNNELLED_IPV6 } from '../../shared/policy/ranges';

const TargetPolicyViewSchema = z
  .object({
    allowedRanges: z.array(z.string()).describe('CIDR ranges a target may be in (MCP_ALLOWED_TARGETS; loopback when allowed).'),
    allowedSuffixes: z.array(z.string()).describe('Host name suffixes a target may end with, leading dot included, e.g. ".lab.internal".'),
    alwaysDenied: z.array(z.string()).describe('Ranges that are never a target, whatever the configuration.'),
    loopbackAllowed: z.boolean().describe('MCP_ALLOW_LOOPBACK: whether 127.0.0.0/8 and ::1 are targets.'),
    intrusiveAllowed: z.boolean().describe('MCP_ALLOW_INTRUSIVE: whether SYN/UDP/OS-detection scans and intrusive NSE scripts may run at all.'),
    maxCidrHosts: z.number().int().describe('Largest CIDR block a tool that takes blocks accepts, in addresses.'),
    summary: z.string().describe('The allowed targets in one line, as tool descriptions name them.'),
  })
  .meta({ id: 'TargetPolicyView' });

/**
 * GET /policy (tools:read): the effective target policy, so a client (and the MCP resource netdiag://policy) can see
 * what it may target before it tries. Read-only and the same for every caller: it reveals nothing a refusal would not.
 */
export function registerPolicy(app: OpenAPIHono<AppEnv>, deps: AppDeps): void {
  const route = createRoute({
    method: 'get',
    path: '/policy',
    operationId: 'get_policy',
    tags: ['service'],
    summary: 'The effective target policy: allowed ranges and suffixes, always-refused ranges, loopback and intrusive switches',
    security: bearer,
    middleware: [requireScope(deps.tokens, 'tools:read')],
    responses: { 200: jsonBody(TargetPolicyViewSchema, 'OK', EX.policy), ...errorResponses(401, 403) },
  });
  const a = deps.policy.allowlist;
  const view = {
    allowedRanges: a.ranges.map((r) => r.label),
    allowedSuffixes: [...a.suffixes],
    alwaysDenied: [...ALWAYS_DENIED, ...TUNNELLED_IPV6, ...(a.allowLoopback ? [] : LOOPBACK)].map((r) => r.label),
    loopbackAllowed: a.allowLoopback,
    intrusiveAllowed: deps.settings.allowIntrusive,
    maxCidrHosts: deps.policy.maxHosts,
    summary: deps.policy.describe(),
  };
  app.openapi(route, (c) => c.json(view, 200));
}
