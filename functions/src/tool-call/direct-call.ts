import { scopeCheck } from '../auth/require-scope';
import type { AppDeps } from '../deps';
import { ApiError } from '../errors/api-error';
import { refuseNewCallWhileDraining } from '../middleware/drain-gate';
import { checkArgsSize } from '../ratelimit/args-size-limit';
import { chargeCall } from '../ratelimit/middleware';
import { paramsSchema } from '../routes/tool-schemas';
import { callerTraceparent } from '../telemetry/caller-traceparent';
import { afterAnswer } from '../telemetry/after-answer';
import { countRefusal } from '../telemetry/refusal-metrics';
import { toolCallRefusal } from '../telemetry/refusals';
import { validatePart } from '../validation/validate-part';
import { validationHook } from '../validation/validation-hook';
import { executeHeadersSchema } from './execute-request';
import { headerOf } from './header-of';
import { type ExecuteOutcome, executeTool } from './execute-tool';

/** One tool call of /mcp, as the port has it: no HTTP request, the caller's own headers. */
export interface DirectCall {
  tool: string;
  args: Record<string, unknown>;
  idempotencyKey: string | undefined;
  respondAsync: boolean;
  /** The caller's headers, as the port would send them: Authorization, and the trace context (traceparent, tracestate). */
  headers: Readonly<Record<string, string>>;
  signal: AbortSignal;
  /** What the call's arrival was noted under (shared/telemetry/stage-arrival.ts). */
  arrival: object;
}

const encoder = new TextEncoder();

/**
 * /mcp's tool calls without a second pass through HTTP (issue 12): POST /tools/{name}/execute's checks and job, called
 * as functions, in the route's order and through the same code (docs/design.md, "Streamable HTTP"):
 * 1. while draining, the caller's tools:run, then no new job (middleware/drain-gate.ts, as the app's gate);
 * 2. the tool exists (the app's 404 for a route it does not have);
 * 3. the token and its tools:run scope (auth/require-scope.ts, as requireScope);
 * 4. the rate limit, a reattaching key not charged again (ratelimit/middleware.ts, as rateLimit);
 * 5. MCP_MAX_ARGS_LEN on the JSON text of the arguments, the body the port would have sent (ratelimit/args-size-limit.ts);
 * 6. the Idempotency-Key and the parameters against the route's own schemas, that JSON text parsed as the route parses
 *    its body, each failure answered by the app's validation hook (validation/validate-part.ts; the `async` query is
 *    the port's own constant, so there is nothing of the caller's to check);
 * 7. the call itself (execute-tool.ts): tool enabled, the token's tool list, the tool's parameter rules, the target
 *    policy, idempotency, a runner that offers it, the job (its traceparent the caller's: telemetry/caller-traceparent.ts),
 *    its stage stamps, the held call and the audit of a cancel.
 * A refusal before any job is counted as a REST refusal is (telemetry/refusal-metrics.ts). No HTTP request duration
 * and no request span are recorded: there was no request; the /mcp POST that carried the call has both, and the
 * job's spans hang under the tools/call span.
 */
export function directToolCalls(deps: AppDeps): (call: DirectCall) => Promise<ExecuteOutcome> {
  const asCaller = scopeCheck(deps.tokens, 'tools:run');
  return async function directToolCall(call) {
    const authorization = headerOf(call.headers, 'authorization');
    const key = call.idempotencyKey;
    try {
      // While draining the caller is checked first (step 1); that check is step 3's too, so the token is verified once.
      const drainingAs = deps.lifecycle.draining ? await asCaller(authorization) : undefined;
      if (drainingAs) await refuseNewCallWhileDraining(deps, drainingAs.id, key);
      const def = deps.registry.get(call.tool);
      if (!def) throw ApiError.of('NOT_FOUND', `No route POST /tools/${call.tool}/execute.`);
      const principal = drainingAs ?? (await asCaller(authorization));
      if (deps.rateLimiter) await chargeCall(deps.rateLimiter, def.name, deps.jobs, principal.id, key);
      const body = JSON.stringify(call.args);
      checkArgsSize(deps.settings.maxArgsLen, encoder.encode(body).byteLength);
      const headers = key === undefined ? {} : { 'idempotency-key': key };
      const checkedHeaders = validatePart('header', executeHeadersSchema, headers, validationHook);
      if (checkedHeaders instanceof Promise) await checkedHeaders;
      const checkedParams = validatePart('json', paramsSchema(def), JSON.parse(body) as unknown, validationHook);
      const params = (checkedParams instanceof Promise ? await checkedParams : checkedParams).data as Record<string, unknown>;
      return await executeTool(deps, def, {
        principal,
        params,
        idempotencyKey: key,
        respondAsync: call.respondAsync,
        signal: call.signal,
        traceparent: () => callerTraceparent(call.headers),
        arrival: call.arrival,
      });
    } catch (err) {
      // Counted as http-telemetry.ts counts a REST call's refusal: known tools only, after the answer.
      const refused = deps.registry.get(call.tool) ? toolCallRefusal(call.tool, err) : undefined;
      if (refused) afterAnswer(() => countRefusal(refused));
      throw err;
    }
  };
}
