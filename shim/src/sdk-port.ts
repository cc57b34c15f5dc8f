import type { ApiAnswer } from '../../functions/mcp/api-answer';
import type { ExecuteSucceeded, McpApiPort, PortContext } from '../../functions/mcp/api-port';
import { type NetdiagClient, NetdiagError, NetdiagTransportError, type ToolName, type ToolParams } from '../../openapi/sdk/src/index';

/**
 * Sort what one SDK call came to into the MCP layer's answer: NetdiagError → the API's error envelope, a
 * NetdiagTransportError → unreachable (a certificate problem named with the setting that fixes it), the caller's
 * signal → aborted (the caller knows which of its clocks fired).
 */
export async function sdkAnswer<T>(call: () => Promise<T>, signal: AbortSignal): Promise<ApiAnswer<T>> {
  try {
    return { kind: 'ok', data: await call() };
  } catch (err) {
    if (signal.aborted) return { kind: 'aborted' };
    if (err instanceof NetdiagError) {
      const { code, message, recoverySuggestion, details, requestId } = err;
      return {
        kind: 'error',
        status: err.status,
        body: { code, message, recoverySuggestion, ...(details ? { details: { ...details } } : {}), ...(requestId ? { requestId } : {}) },
      };
    }
    if (err instanceof NetdiagTransportError) {
      return err.fix
        ? { kind: 'unreachable', reason: err.problem, transport: { problem: err.problem, fix: err.fix } }
        : { kind: 'unreachable', reason: err.problem };
    }
    // A 2xx whose body is not JSON: the address answers, but not as a netdiag API.
    return { kind: 'unreachable', reason: String(err) };
  }
}

const opts = (ctx: PortContext): { signal: AbortSignal; headers: Readonly<Record<string, string>> } => ({ signal: ctx.signal, headers: ctx.headers });
const succeeded = (r: { jobId: string; result: unknown }): ExecuteSucceeded => ({ jobId: r.jobId, result: r.result as Record<string, unknown> });

/** The MCP layer's view of the API (functions/mcp/api-port.ts) over the SDK, for the stdio shim. */
export function createSdkPort(client: NetdiagClient): McpApiPort {
  return {
    listTools: (ctx) => sdkAnswer(async () => ({ tools: await client.listTools(opts(ctx)) }), ctx.signal),
    // The shim serves custom tools (TOOLS_PACKAGE) as well: names come from the API's list, not from the SDK's types.
    startJob: (tool, args, key, ctx) =>
      sdkAnswer(() => client.jobs.start(tool as ToolName, args as ToolParams<ToolName>, { ...opts(ctx), idempotencyKey: key }), ctx.signal),
    awaitJob: (tool, args, key, ctx) => sdkAnswer(async () => succeeded(await client.call(tool, args, { ...opts(ctx), idempotencyKey: key })), ctx.signal),
    runOnce: (tool, args, ctx) => sdkAnswer(async () => succeeded(await client.call(tool, args, opts(ctx))), ctx.signal),
    cancelJob: (jobId, ctx) => sdkAnswer(() => client.jobs.cancel(jobId, opts(ctx)), ctx.signal),
    listJobs: (limit, ctx) => sdkAnswer(() => client.jobs.list({ ...opts(ctx), limit }), ctx.signal),
    getJob: (jobId, ctx) => sdkAnswer(() => client.jobs.get(jobId, opts(ctx)), ctx.signal),
    getPolicy: (ctx) => sdkAnswer(() => client.policy(opts(ctx)), ctx.signal),
    async *jobEvents(jobId, ctx) {
      try {
        for await (const event of client.jobs.events(jobId, opts(ctx))) yield { type: event.type, data: event.data as Record<string, unknown> };
      } catch {
        // A refusal, a broken stream or the caller's signal: the events end here; the caller reads the job's state.
      }
    },
  };
}
