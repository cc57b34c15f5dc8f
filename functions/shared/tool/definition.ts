import type { z } from 'zod';

/** MCP tool annotations; every tool states all four. */
export interface ToolAnnotations {
  readOnlyHint: boolean;
  destructiveHint: boolean;
  idempotentHint: boolean;
  openWorldHint: boolean;
}

/** What a parameter check may depend on besides the parameters. */
export interface PolicyContext {
  /** MCP_ALLOW_INTRUSIVE: intrusive scan types and script categories are allowed. */
  allowIntrusive: boolean;
  /** Whether the runner can open raw sockets (root or CAP_NET_RAW). The API does not know: it passes true. */
  privileged: boolean;
}

/** A parameter combination the policy refuses: FORBIDDEN for gated options, VALIDATION_ERROR for nonsense. */
export interface ParamRefusal {
  code: 'VALIDATION_ERROR' | 'FORBIDDEN';
  message: string;
  recoverySuggestion: string;
}

/** How a tool may run: enforced by the API before a job exists and again by the runner. */
export interface ToolPolicy<P> {
  /** Binary the runner executes (resolved to an absolute path at runner start), or null for native tools. */
  binary: string | null;
  /** Debian package that provides the binary, named in NOT_FOUND recovery suggestions. */
  debianPackage: string | null;
  /** The parameter that holds the target; it is checked against the target policy. */
  targetField: keyof P & string;
  /** Whether the target may be a CIDR block. */
  allowCidr: boolean;
  /** Deadline when the call gives none, and the largest one a call may ask for. */
  defaultTimeoutSec: number;
  maxTimeoutSec: number;
  /**
   * Whether the runner resolves a hostname target and pins the address (default true). False for tools whose
   * target is a name to look up (dig): the name is still checked against the policy but never resolved by the runner.
   */
  resolveTarget?: boolean;
  /** Checks across parameters (e.g. intrusive nmap options); run by the API and again by the runner. */
  // Method syntax on purpose: it keeps typed definitions assignable to AnyToolDefinition.
  checkParams?(params: P, ctx: PolicyContext): ParamRefusal | undefined;
  /**
   * Whether this call needs a raw socket (CAP_NET_RAW). The runner's sandbox grants that one capability to the job
   * only when this says so; every other job runs with no capability at all (docs/security.md, "Sandbox"). Absent: never.
   */
  needsRawSocket?(params: P): boolean;
  /** pids.max of the job's cgroup (processes and threads together); default 64 (docs/security.md, "Sandbox"). */
  maxProcesses?: number;
  /**
   * Other programs the binary runs (bare names, looked up like `binary`): mtr runs mtr-packet. Under the sandbox's exec
   * restriction a job may execute only its own binary and these (docs/security.md, "Sandbox"). Absent: none.
   */
  execs?: readonly string[];
  /**
   * How much of the runner's machine one job takes, for its default concurrency (docs/design.md, "Runners"):
   * 'light' (a short exchange, mostly waiting: ping, dig, tls_inspect, http_probe, traceroute) runs several jobs per
   * core at once, 'heavy' (nmap, mtr: many probes, CPU and memory) one per core. Absent: 'heavy'.
   */
  weight?: ToolWeight;
}

/** See ToolPolicy.weight. */
export type ToolWeight = 'light' | 'heavy';

/**
 * A tool, declared once. Pure data: no I/O and no runtime imports, so the API (any runtime),
 * the runner and the OpenAPI generator all import the same object.
 */
export interface ToolDefinition<P extends z.ZodObject = z.ZodObject, R extends z.ZodObject = z.ZodObject, N extends string = string> {
  /** MCP tool name and the {name} in /tools/{name}/execute: lower case, digits and underscores. */
  name: N;
  title: string;
  /** Written for a model: what it does, typical use. The allowed targets are appended at run time. */
  description: string;
  params: P;
  result: R;
  annotations: ToolAnnotations;
  /**
   * The tool may run for minutes (scans, path measurements): MCP offers it as a task (execution.taskSupport
   * "optional"), so a client can start it, leave, and fetch the result later (docs/design.md, "MCP").
   */
  longRunning?: boolean;
  policy: ToolPolicy<z.infer<P>>;
  /**
   * The concise text an assistant reads next to `structuredContent` (MCP `content`). It takes the result as it
   * arrived over the wire, not the typed value: a renderer must cope with any JSON (docs/design.md, "Tools").
   */
  render: ToolRenderer;
}

export type AnyToolDefinition = ToolDefinition<z.ZodObject, z.ZodObject>;

/** Writes a tool result as text; see ToolDefinition.render. */
export type ToolRenderer = (result: Readonly<Record<string, unknown>>) => string;

/** Tool names: what MCP clients, URLs and metric labels accept alike. */
export const TOOL_NAME = /^[a-z][a-z0-9_]{0,47}$/;

/**
 * Declare a tool (docs/CONTRIBUTING.md, "Add a tool"). Pure: the API (any runtime), the runner, the MCP server and
 * the OpenAPI generator import the same object. The literal name is kept so registries can be checked by type.
 */
export function defineTool<const N extends string, P extends z.ZodObject, R extends z.ZodObject, Policy extends ToolPolicy<z.infer<P>>>(
  definition: Omit<ToolDefinition<P, R, N>, 'policy'> & { policy: Policy },
): ToolDefinition<P, R, N> & { policy: Policy } {
  if (!TOOL_NAME.test(definition.name)) throw new TypeError(`tool name "${definition.name}" must match ${String(TOOL_NAME)}`);
  return definition;
}
