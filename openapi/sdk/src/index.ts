/**
 * @netdiag/client: the netdiag-mcp API for programs. Typed per-tool calls (`client.tools.ping({ target })`), jobs
 * with events and cancel, and typed errors, all from the generated spec types (openapi/schema.d.ts). README.md
 * has an example of each; test/api/sdk-readme.test.ts runs them against a live API.
 */
import { type RequestOptions, createTransport } from './http.js';
import { type Jobs, createJobs } from './jobs.js';
import { type EventsOptions, type ServiceEvent, openEvents } from './service-events.js';
import type { TargetPolicyView, ToolInfo, ToolName, ToolParams, ToolResponse } from './types.js';

export { NetdiagError, NetdiagTransportError } from './errors.js';
export type { RequestOptions } from './http.js';
export type { Jobs, ListOptions, StartOptions } from './jobs.js';
export type { EventsOptions, ServiceEvent } from './service-events.js';
export type * from './types.js';

export interface NetdiagClientOptions {
  /** e.g. https://netdiag.lab.internal:8443 */
  baseUrl: string;
  /** A bearer token: `tools:read` to list, `tools:run` to call. */
  token: string;
  /** Another fetch (a lab CA: `fetchTrusting` from `@netdiag/client/node`; tests; tracing). */
  fetch?: typeof fetch;
}

export interface CallOptions extends RequestOptions {
  /** The same key reattaches to the call it started (no second job), e.g. when retrying after a lost answer. */
  idempotencyKey?: string | undefined;
}

/** One function per built-in tool: resolves when the tool has run, with its typed result. */
export type ToolCalls = { readonly [N in ToolName]: (params: ToolParams<N>, options?: CallOptions) => Promise<ToolResponse<N>> };

export interface NetdiagClient {
  readonly tools: ToolCalls;
  readonly jobs: Jobs;
  /** The tools this token may see, with their schemas and whether a runner offers each now. */
  listTools(options?: RequestOptions): Promise<ToolInfo[]>;
  /** A tool by name (custom tools from TOOLS_PACKAGE too), untyped. */
  call(tool: string, params: Record<string, unknown>, options?: CallOptions): Promise<{ jobId: string; status: string; result: unknown }>;
  /** The target policy in force: allowed ranges and suffixes, what is always denied, which tools need confirmation. */
  policy(options?: RequestOptions): Promise<TargetPolicyView>;
  /**
   * The API's service events (runners, tools, jobs): resolves when the stream is open (a refusal throws), then yields
   * until it ends or the signal fires. `types` (exact or `family.*`) asks for only those.
   */
  events(options?: EventsOptions): Promise<AsyncGenerator<ServiceEvent>>;
}

const TOOL_NAME = /^[a-z][a-z0-9_]{0,63}$/;
const NOT_TOOLS = new Set(['then', 'toJSON', 'constructor']);

export function createNetdiagClient(options: NetdiagClientOptions): NetdiagClient {
  const http = createTransport(options);
  const call = <T>(tool: string, params: unknown, { idempotencyKey, ...o }: CallOptions = {}): Promise<T> =>
    http.json<T>('POST', `/tools/${encodeURIComponent(tool)}/execute`, {
      ...o,
      body: params,
      ...(idempotencyKey ? { headers: { ...o.headers, 'idempotency-key': idempotencyKey } } : {}),
    });
  // Any tool name the types allow becomes a call; the API decides what exists (404 NOT_FOUND otherwise). Not `then`
  // or `toJSON`: `await client.tools` and JSON.stringify must not start a call.
  const tools = new Proxy({} as ToolCalls, {
    get: (_target, name) =>
      typeof name === 'string' && TOOL_NAME.test(name) && !NOT_TOOLS.has(name) ? (params: unknown, o?: CallOptions) => call(name, params, o) : undefined,
  });
  return {
    tools,
    jobs: createJobs(http),
    listTools: async (o) => (await http.json<{ tools: ToolInfo[] }>('GET', '/tools', o)).tools,
    call: (tool, params, o) => call(tool, params, o),
    policy: (o) => http.json<TargetPolicyView>('GET', '/policy', o),
    events: (o) => openEvents(http, o),
  };
}
