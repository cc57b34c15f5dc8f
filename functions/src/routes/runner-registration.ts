import { type OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { AppEnv } from '../app-env';
import { requireScope } from '../auth/require-scope';
import { requireRunnerCertificate } from '../auth/runner-certificate';
import type { AppDeps } from '../deps';
import { bearer, errorResponses, jsonBody, jsonRequest } from '../schemas/responses';
import { MAX_UNAVAILABLE_TOOLS, keepReasons } from '../jobs/unavailable-reasons';
import { RunnerId } from './runner-protocol';
import { RUNNER_PROTOCOL_EXAMPLES as EXAMPLES } from '../schemas/runner-examples';
import { SANDBOX_MODES, SANDBOX_PROTECTIONS } from '../../shared/tool/executor';

const ToolName = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9._-]+$/);

const Registration = z
  .object({
    runnerId: RunnerId,
    version: z
      .string()
      .min(1)
      .max(64)
      .regex(/^[A-Za-z0-9.+_-]+$/)
      .describe("The runner's software version."),
    tools: z.array(ToolName).max(64).describe('Tools this runner can run (binary found, configured).'),
    unavailable: z
      .record(ToolName, z.string().max(1024))
      .refine((r) => Object.keys(r).length <= MAX_UNAVAILABLE_TOOLS, `at most ${MAX_UNAVAILABLE_TOOLS} tools`)
      .optional()
      .describe(
        'Tools this runner knows but cannot offer, each with the reason (e.g. dig: "no lab DNS resolver configured"). The API strips control characters and keeps 200 characters; a call for a tool no connected runner offers fails at once with NO_RUNNER naming these reasons.',
      ),
    privileged: z.boolean().describe('Whether it has raw sockets (root or CAP_NET_RAW).'),
    capacity: z.number().int().min(1).max(64).describe('Jobs it runs at once.'),
    sandbox: z
      .object({
        mode: z.enum(SANDBOX_MODES).describe('helper (netdiag-sandbox), util-linux (prlimit/setpriv/unshare) or process-group (no confinement).'),
        protections: z.array(z.enum(SANDBOX_PROTECTIONS)).max(SANDBOX_PROTECTIONS.length).describe('Protections every job gets on this runner.'),
        lacking: z.array(z.enum(SANDBOX_PROTECTIONS)).max(SANDBOX_PROTECTIONS.length).describe('Protections this host could not give (see its start-up log).'),
      })
      .optional()
      .describe('How this runner confines jobs (docs/security.md, "Sandbox"); shown per runner in /health.'),
  })
  .meta({ id: 'RunnerRegistration' });
const Registered = z
  .object({
    registered: z.literal(true),
    rejoined: z.boolean().describe('A runner with this id was already connected (a restart); its record was replaced.'),
    leaseMs: z.number().int().describe('Unheard for this long while not claiming, the runner counts as gone.'),
  })
  .meta({ id: 'RunnerRegistered' });
const Deregistration = z.object({ runnerId: RunnerId }).meta({ id: 'RunnerDeregistration' });
const Deregistered = z
  .object({ deregistered: z.boolean().describe('False when the runner was not connected (nothing to do).') })
  .meta({ id: 'RunnerDeregistered' });

/**
 * Runner presence: a runner announces itself at start-up and says goodbye on a graceful stop; the API publishes
 * runner.joined / runner.left on GET /events. Registering is optional: a runner that never does (older runners)
 * is known from its claims, with the tools it claims for, and still gets jobs.
 */
export function registerRunnerRegistration(app: OpenAPIHono<AppEnv>, deps: AppDeps): void {
  const runnerOnly = [requireScope(deps.tokens, 'runner'), requireRunnerCertificate(deps.runnerCertificate)];

  const register = createRoute({
    method: 'post',
    path: '/runner/register',
    operationId: 'runner_register',
    tags: ['runner'],
    summary: 'Announce a runner: id, version, tools, privilege, capacity (publishes runner.joined)',
    security: bearer,
    middleware: runnerOnly,
    request: { body: jsonRequest(Registration, EXAMPLES.registerRequest) },
    responses: {
      200: jsonBody(Registered, 'OK', EXAMPLES.registerResponse),
      ...errorResponses(400, 401, 403),
    },
  });
  app.openapi(register, async (c) => {
    const { unavailable: raw, ...announced } = c.req.valid('json');
    const info = { ...announced, unavailable: keepReasons(raw, announced.tools) };
    const { rejoined } = await deps.jobs.register(info);
    deps.logger.info(
      {
        runnerId: info.runnerId,
        version: info.version,
        tools: info.tools,
        unavailable: info.unavailable,
        privileged: info.privileged,
        capacity: info.capacity,
        sandbox: info.sandbox,
        rejoined,
      },
      'runner registered',
    );
    return c.json({ registered: true as const, rejoined, leaseMs: deps.settings.leaseMs }, 200);
  });

  const deregister = createRoute({
    method: 'post',
    path: '/runner/deregister',
    operationId: 'runner_deregister',
    tags: ['runner'],
    summary: 'A runner stopping gracefully (publishes runner.left)',
    security: bearer,
    middleware: runnerOnly,
    request: { body: jsonRequest(Deregistration, EXAMPLES.deregisterRequest) },
    responses: {
      200: jsonBody(Deregistered, 'OK', EXAMPLES.deregisterResponse),
      ...errorResponses(400, 401, 403),
    },
  });
  app.openapi(deregister, async (c) => {
    const { runnerId } = c.req.valid('json');
    const deregistered = await deps.jobs.deregister(runnerId);
    deps.logger.info({ runnerId, deregistered }, 'runner deregistered');
    return c.json({ deregistered }, 200);
  });
}
