import type { CallToolResult, LoggingLevel, Tool } from '@modelcontextprotocol/sdk/types.js';
import type { ToolInfo } from '../../openapi/client';
import type { ToolExtra } from './call-tool';
import { CONFIRMABLE_TOOLS, CONFIRM_ARG } from './confirm-intrusive';

/** `_meta` key on each listed tool: whether a connected runner offers it right now. */
export const AVAILABLE_META_KEY = 'io.netdiag/available';

/** The MCP-only confirm argument of a tool whose calls may need confirmation (confirm-intrusive.ts). */
function withConfirm(schema: Tool['inputSchema']): Tool['inputSchema'] {
  const confirm = {
    type: 'boolean',
    description:
      'MCP only: set true, after asking the user, to run an intrusive scan (syn/udp, osDetection, intrusive scripts) when the client cannot be asked directly.',
  };
  return { ...schema, properties: { ...schema.properties, [CONFIRM_ARG]: confirm } };
}

/** An API tool as MCP lists it: title, a description for a model (with the allowed targets), schemas, all four annotations. */
export function toMcpTool(t: ToolInfo): Tool {
  const offline = t.available ? '' : ' No runner offers this tool right now: calls fail with NO_RUNNER until one connects.';
  return {
    name: t.name,
    title: t.title,
    description: `${t.description}${offline}`,
    inputSchema: CONFIRMABLE_TOOLS.has(t.name) ? withConfirm(t.inputSchema as Tool['inputSchema']) : (t.inputSchema as Tool['inputSchema']),
    outputSchema: t.outputSchema as NonNullable<Tool['outputSchema']>,
    annotations: { title: t.title, ...t.annotations },
    // Long scans can run as tasks: started now, fetched later, from this session or another (tasks.ts).
    ...(t.longRunning ? { execution: { taskSupport: 'optional' as const } } : {}),
    _meta: { [AVAILABLE_META_KEY]: t.available },
  };
}

/** Service events after which the tool list may differ: a tool enabled or disabled, a runner joined or left. */
export const CATALOGUE_EVENT_TYPES: ReadonlySet<string> = new Set(['tools.list_changed', 'runner.joined', 'runner.left']);

/** Tells a server that the tool list may have changed; the server re-lists and notifies only on a real change. */
export interface CatalogueSignal {
  subscribe(listener: () => void): () => void;
}

/**
 * A tool the MCP layer answers itself instead of the API. Only the conformance fixtures are local tools, and only
 * test entries pass them in: no production entry imports them.
 */
export interface LocalTool {
  definition: Tool;
  run(args: Record<string, unknown>, extra: ToolExtra, helpers: LocalToolHelpers): Promise<CallToolResult>;
}

export interface LocalToolHelpers {
  /** Sends notifications/message for this request if the client's logging/setLevel admits `level`. */
  log(level: LoggingLevel, data: unknown): Promise<void>;
}
