import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
  type CallToolRequest,
  type CallToolResult,
  type CreateTaskResult,
  ListToolsRequestSchema,
  type LoggingLevel,
  McpError,
  SetLevelRequestSchema,
  type Tool,
} from '@modelcontextprotocol/sdk/types.js';
import type { ToolRenderer } from '../shared/tool/definition';
import { builtinRenderersByName } from '../tools/renderers';
import type { McpApiPort } from './api-port';
import { type FailureHints, failure } from './answers';
import { type CallMeta, jobKey, readCallMeta } from './call-meta';
import { type CallSpanOptions, traceToolCall } from './call-span';
import { type ToolExtra, callToolThroughJob } from './call-tool';
import { type ConfirmationAudit, confirmIntrusive } from './confirm-intrusive';
import type { LocalFeatures } from './local-features';
import { LogLevelState } from './log-level';
import { FEATURE_CAPABILITIES, registerFeatures } from './server-features';
import { type CatalogueSignal, type LocalTool, toMcpTool } from './tool-catalogue';
import { type CheckResult, checkToolResult, setToolCallHandler } from './tool-call-handler';
import { NoSchemaValidator } from './no-schema-validator';
import { isQuietCall } from './quiet-call';

/** One tools/call the API answers, with the headers its API requests carry (Authorization, trace context). */
interface RemoteCall {
  name: string;
  args: Record<string, unknown>;
  meta: CallMeta;
  extra: ToolExtra;
  asTask: boolean;
  headers: Record<string, string>;
}

export type DiagnosticLog = (level: 'debug' | 'info' | 'warn' | 'error', msg: string, fields?: Record<string, unknown>) => void;

export interface McpServerOptions {
  /** How the API is reached: over HTTP (stdio shim) or in process (/mcp). */
  port: McpApiPort;
  version: string;
  hints: FailureHints;
  /** Longest a tools/call waits for its job. */
  timeoutMs: number;
  /** Tells the server to look again at the tool list (for notifications/tools/list_changed). */
  catalogue?: CatalogueSignal | undefined;
  /** Conformance fixtures; test entries only. */
  localTools?: readonly LocalTool[] | undefined;
  /** Conformance fixture resources, templates and prompts; test entries only. */
  localFeatures?: LocalFeatures | undefined;
  /** Renderers by tool name for a result's text: the built-in ones by default; /mcp adds TOOLS_PACKAGE ones. */
  renderers?: ReadonlyMap<string, ToolRenderer> | undefined;
  /** Operator diagnostics (stderr, the API's logger); never the protocol stream. */
  log?: DiagnosticLog | undefined;
  /** Trace each tools/call as the MCP semantic conventions say (/mcp); the shim traces at its transport instead. */
  traceCalls?: CallSpanOptions | undefined;
  /** Where intrusive-scan confirmations are recorded (/mcp: the API's audit log); the diagnostic log when absent. */
  audit?: ((entry: ConfirmationAudit) => void) | undefined;
}

const LIST_TIMEOUT_MS = 10_000;

/**
 * A tools/call the caller may answer without the SDK's transport and dispatch, when it can send nothing but its final
 * response (quiet-call.ts): the same handler's promise, or undefined when it may send more (go the SDK's way).
 */
export type QuietCall = (request: CallToolRequest, extra: ToolExtra) => Promise<CallToolResult | CreateTaskResult> | undefined;

const INSTRUCTIONS =
  'Network diagnostics (ping, traceroute, mtr, nmap, dig, TLS and HTTP probes) run by sandboxed runners against a lab network. ' +
  'Only targets inside the allowlist named in each tool description are accepted. Results come as structured data plus a short text. ' +
  'Long scans report progress when the request carries a progressToken; set _meta["io.netdiag/idempotencyKey"] to be able to retry a long call and get the same job\'s result. ' +
  'Read netdiag://policy for what may be targeted and netdiag://tools for where each tool can run; every result links its job (netdiag://jobs/{id}), readable later without a re-run. ' +
  'nmap, traceroute and mtr can run as tasks. The prompts diagnose-host, check-service and compare-paths describe proven diagnostic sequences.';

/**
 * The one MCP server both transports use (stdio shim, /mcp): tools/list and tools/call through the API port,
 * progress and lifecycle logging from the job's events, cancellation, list_changed. Protocol-facing code lives here
 * and nowhere else, so the next protocol version is a change in this folder. No I/O until a request arrives.
 */
export function createMcpServer(o: McpServerOptions): { server: Server; cleanup: () => Promise<void>; quietCall: QuietCall } {
  const server = new Server(
    { name: 'netdiag-mcp', version: o.version, title: 'netdiag: lab network diagnostics' },
    {
      capabilities: { tools: { listChanged: true }, logging: {}, ...FEATURE_CAPABILITIES },
      instructions: INSTRUCTIONS,
      jsonSchemaValidator: new NoSchemaValidator(),
    },
  );
  const logs = new LogLevelState();
  const local = new Map((o.localTools ?? []).map((t) => [t.definition.name, t]));
  const localDefinitions = [...local.values()].map((t) => t.definition);
  let listed: { tools: Tool[]; fingerprint: string } | undefined;
  // Re-listing after a catalogue signal happens outside any request: it uses the credentials of the last listing.
  let listingHeaders: Record<string, string> = {};

  const authHeaders = (extra: ToolExtra): Record<string, string> => (extra.authInfo ? { authorization: `Bearer ${extra.authInfo.token}` } : {});
  const access = { port: o.port, headers: authHeaders };
  const renderers = o.renderers ?? builtinRenderersByName;
  const audit = o.audit ?? ((e: ConfirmationAudit): void => o.log?.('info', 'intrusive scan confirmation', { ...e }));
  // Form elicitation: declared as elicitation.form, or as an empty elicitation object (protocol 2025-06-18).
  const canElicit = (): boolean => {
    const e = server.getClientCapabilities()?.elicitation;
    return e !== undefined && (e.form !== undefined || e.url === undefined);
  };
  const features = registerFeatures(server, access, o.hints, renderers, o.localFeatures);

  const fetchTools = async (headers: Record<string, string>): Promise<Tool[] | undefined> => {
    const answer = await o.port.listTools({ signal: AbortSignal.timeout(LIST_TIMEOUT_MS), headers });
    if (answer.kind === 'ok') return [...answer.data.tools.map(toMcpTool), ...localDefinitions];
    o.log?.('warn', 'tools/list: the API is not usable; answering with the last list', { answer });
    return undefined;
  };

  server.setRequestHandler(ListToolsRequestSchema, async (_request, extra) => {
    listingHeaders = authHeaders(extra);
    const tools = await fetchTools(listingHeaders);
    if (tools) listed = { tools, fingerprint: JSON.stringify(tools) };
    return { tools: tools ?? listed?.tools ?? localDefinitions };
  });

  // Replaces the SDK's own handler: the level is kept per server, and one server serves one session.
  server.setRequestHandler(SetLevelRequestSchema, async (request) => {
    logs.set(request.params.level);
    return {};
  });

  const callTool = async (request: CallToolRequest, extra: ToolExtra, checked: CheckResult): Promise<CallToolResult | CreateTaskResult> => {
    const { name, arguments: args = {} } = request.params;
    const localTool = local.get(name);
    if (localTool) {
      const log = async (level: LoggingLevel, data: unknown): Promise<void> => {
        if (logs.allows(level)) await extra.sendNotification({ method: 'notifications/message', params: { level, logger: 'netdiag', data } });
      };
      return checked(await localTool.run(args, extra, { log }));
    }
    const meta = readCallMeta(request.params._meta);
    const run = (traceHeaders: Readonly<Record<string, string>>): Promise<CallToolResult | CreateTaskResult> =>
      callRemote({ name, args, meta, extra, asTask: request.params.task !== undefined, headers: { ...authHeaders(extra), ...traceHeaders } });
    if (!o.traceCalls) return run(meta.traceHeaders);
    const transportTraceparent = extra.authInfo?.extra?.['traceparent'];
    const info = { tool: name, requestId: extra.requestId, sessionId: extra.sessionId, traceHeaders: meta.traceHeaders };
    return traceToolCall(o.traceCalls, { ...info, transportTraceparent: typeof transportTraceparent === 'string' ? transportTraceparent : undefined }, run);
  };
  setToolCallHandler(server, callTool);
  const quietState = { isLocal: (name: string) => local.has(name), logsActive: () => logs.active, canElicit };
  const quietCall: QuietCall = (request, extra) => (isQuietCall(request, quietState) ? callTool(request, extra, checkToolResult) : undefined);

  /** A call the API answers: confirmation when intrusive, then a task (answered at once) or a job waited for. */
  const callRemote = async (c: RemoteCall): Promise<CallToolResult | CreateTaskResult> => {
    const { name, args, meta, extra, headers } = c;
    const started = performance.now();
    try {
      const confirmed = await confirmIntrusive({ port: o.port, tool: name, args, extra, headers, canElicit: canElicit(), audit });
      if ('refused' in confirmed) return confirmed.refused;
      // Task-augmented: start the job and answer at once; tasks/* follow it (tasks.ts).
      if (c.asTask) return await features.startTask(name, confirmed.args, jobKey(meta), headers, extra);
      const result = await callToolThroughJob({
        port: o.port,
        tool: name,
        args: confirmed.args,
        meta,
        extra,
        headers,
        timeoutMs: o.timeoutMs,
        logs,
        hints: o.hints,
        renderers,
      });
      o.log?.('debug', 'tools/call', { tool: name, isError: result.isError === true, ms: Math.round(performance.now() - started) });
      return result;
    } catch (err) {
      if (err instanceof McpError) throw err;
      o.log?.('error', 'tools/call failed unexpectedly', { tool: name, err: String(err) });
      return failure('UNKNOWN', `The call failed unexpectedly: ${String(err)}`, 'Try again; if it persists, report it to the operator.');
    }
  };

  // One re-check at a time; a signal that arrives during one asks for another, so no change is missed.
  let checking = false;
  let again = false;
  const recheck = async (): Promise<void> => {
    if (!listed) return;
    if (checking) {
      again = true;
      return;
    }
    checking = true;
    try {
      do {
        again = false;
        const tools = await fetchTools(listingHeaders);
        const fingerprint = tools ? JSON.stringify(tools) : undefined;
        if (tools && fingerprint !== undefined && fingerprint !== listed.fingerprint) {
          listed = { tools, fingerprint };
          await server.sendToolListChanged();
        }
      } while (again);
    } catch (err) {
      o.log?.('debug', 'tool list re-check failed', { err: String(err) });
    } finally {
      checking = false;
    }
  };
  const unsubscribe = o.catalogue?.subscribe(() => void recheck());

  return {
    server,
    quietCall,
    cleanup: async () => {
      unsubscribe?.();
      features.close();
      await server.close();
    },
  };
}
