import type { ApiClient, ToolInfo, components, paths } from '../../openapi/client';
import { type ApiAnswer, type FetchOutcome, callApi } from './api-answer';
import { type SseMessage, readSse } from './sse-reader';

type ExecutePath = Extract<keyof paths, `/tools/${string}/execute`>;
export type AcceptedJob = components['schemas']['AcceptedJob'];
export type JobView = components['schemas']['JobView'];
export type TargetPolicyView = components['schemas']['TargetPolicyView'];
export interface ExecuteSucceeded {
  jobId: string;
  result: Record<string, unknown>;
}

/** Per-call context: the caller's signal (cancellation and deadline) and headers to add (traceparent, and on /mcp the caller's Authorization). */
export interface PortContext {
  signal: AbortSignal;
  headers: Readonly<Record<string, string>>;
  /** Who calls, when the transport authenticated them (/mcp); the in-process port finds their jobs by it. */
  principal?: string | undefined;
}

/** One event of GET /jobs/{id}/events, data parsed. */
export interface JobStreamEvent {
  type: string;
  data: Record<string, unknown>;
}

/**
 * Everything the MCP layer needs from the API. The stdio shim reaches it over HTTP, /mcp in process (a tool's execute
 * as the REST route's own functions, functions/src/tool-call/direct-call.ts); auth, scopes, validation, target policy
 * and idempotency are decided by the same code either way.
 */
export interface McpApiPort {
  listTools(ctx: PortContext): Promise<ApiAnswer<{ tools: ToolInfo[] }>>;
  /** POST /tools/{name}/execute?async=true with an Idempotency-Key: the job, new or reattached. */
  startJob(tool: string, args: Record<string, unknown>, key: string, ctx: PortContext): Promise<ApiAnswer<AcceptedJob>>;
  /**
   * One POST held until the job ends, without a key: the fast path when nobody follows the job. If the request is
   * aborted the API cancels the job itself (no key means nobody can come back for it).
   */
  runOnce(tool: string, args: Record<string, unknown>, ctx: PortContext): Promise<ApiAnswer<ExecuteSucceeded>>;
  /** The same POST held until the job ends (the key reattaches): the schema-checked result or the error envelope. */
  awaitJob(tool: string, args: Record<string, unknown>, key: string, ctx: PortContext): Promise<ApiAnswer<ExecuteSucceeded>>;
  /** GET /jobs/{id}/events until the job ends, the stream breaks or ctx.signal fires. */
  jobEvents(jobId: string, ctx: PortContext): AsyncIterable<JobStreamEvent>;
  cancelJob(jobId: string, ctx: PortContext): Promise<ApiAnswer<unknown>>;
  /** GET /jobs: the caller's jobs (all of them for an admin), newest first. */
  listJobs(limit: number, ctx: PortContext): Promise<ApiAnswer<{ jobs: JobView[] }>>;
  /** GET /jobs/{id}: one job the caller may see. */
  getJob(jobId: string, ctx: PortContext): Promise<ApiAnswer<JobView>>;
  /** GET /policy: the effective target policy. */
  getPolicy(ctx: PortContext): Promise<ApiAnswer<TargetPolicyView>>;
}

const executePath = (tool: string): ExecutePath => `/tools/${encodeURIComponent(tool)}/execute` as ExecutePath;

function parseData(m: SseMessage): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(m.data);
    return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/**
 * The port over the raw typed API client, as /mcp uses it in process (functions/src/mcp-http/in-process-port.ts);
 * the stdio shim's port is the same over the SDK (shim/src/sdk-port.ts).
 */
export function createApiPort(client: ApiClient): McpApiPort {
  const execute = <T>(tool: string, args: Record<string, unknown>, headers: Record<string, string>, ctx: PortContext, async: boolean): Promise<ApiAnswer<T>> =>
    callApi(
      () =>
        client.POST(executePath(tool), {
          body: args as never,
          params: async ? { query: { async: 'true' } } : {},
          headers: { ...ctx.headers, ...headers },
          signal: ctx.signal,
        } as never) as Promise<FetchOutcome<T>>,
      ctx.signal,
    );

  return {
    listTools: (ctx) => callApi(() => client.GET('/tools', { headers: ctx.headers, signal: ctx.signal }), ctx.signal),
    startJob: (tool, args, key, ctx) => execute<AcceptedJob>(tool, args, { 'idempotency-key': key }, ctx, true),
    awaitJob: (tool, args, key, ctx) => execute<ExecuteSucceeded>(tool, args, { 'idempotency-key': key }, ctx, false),
    runOnce: (tool, args, ctx) => execute<ExecuteSucceeded>(tool, args, {}, ctx, false),
    cancelJob: (jobId, ctx) =>
      callApi(() => client.DELETE('/jobs/{id}', { params: { path: { id: jobId } }, headers: ctx.headers, signal: ctx.signal }), ctx.signal),
    listJobs: (limit, ctx) => callApi(() => client.GET('/jobs', { params: { query: { limit } }, headers: ctx.headers, signal: ctx.signal }), ctx.signal),
    getJob: (jobId, ctx) => callApi(() => client.GET('/jobs/{id}', { params: { path: { id: jobId } }, headers: ctx.headers, signal: ctx.signal }), ctx.signal),
    getPolicy: (ctx) => callApi(() => client.GET('/policy', { headers: ctx.headers, signal: ctx.signal }), ctx.signal),
    async *jobEvents(jobId, ctx) {
      const res = await client.GET('/jobs/{id}/events', {
        params: { path: { id: jobId } },
        headers: { ...ctx.headers, accept: 'text/event-stream' },
        signal: ctx.signal,
        parseAs: 'stream',
      });
      const body = res.data;
      if (!res.response.ok || !body) return;
      for await (const m of readSse(body)) yield { type: m.event, data: parseData(m) };
    },
  };
}
