import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { CallToolRequestSchema, ErrorCode, ListToolsRequestSchema, McpError, type Tool } from '@modelcontextprotocol/sdk/types.js';
import { type ApiClient, type ToolInfo, createApiClient } from '../../openapi/client';
import { failure, toCallToolResult } from './answers';
import { executeTool, listTools } from './api-call';
import type { Log } from './log';

export interface ShimOptions {
  apiUrl: string;
  token: string;
  timeoutMs: number;
  version: string;
  log: Log;
  fetch?: typeof fetch;
}

const toMcpTool = (t: ToolInfo): Tool => ({
  name: t.name,
  title: t.title,
  description: t.description,
  inputSchema: t.inputSchema as Tool['inputSchema'],
  outputSchema: t.outputSchema as NonNullable<Tool['outputSchema']>,
  annotations: { title: t.title, ...t.annotations },
});

/** The MCP server: tools/list and tools/call translated to the API. No I/O until a request arrives. */
export function createServer(options: ShimOptions): { server: Server; cleanup: () => Promise<void> } {
  const client: ApiClient = createApiClient({ baseUrl: options.apiUrl, token: options.token, ...(options.fetch ? { fetch: options.fetch } : {}) });
  const server = new Server({ name: 'netdiag-mcp', version: options.version, title: 'netdiag: lab network diagnostics' }, { capabilities: { tools: { listChanged: true } } });
  let known: ToolInfo[] | undefined;
  const ctx = { apiUrl: options.apiUrl, timeoutMs: options.timeoutMs };

  server.setRequestHandler(ListToolsRequestSchema, async () => {
    const answer = await listTools(client, Math.min(options.timeoutMs, 10_000));
    if (answer.kind === 'ok') {
      known = answer.data.tools;
      return { tools: known.map(toMcpTool) };
    }
    options.log('warn', 'tools/list: API not usable; answering with no tools', { answer });
    return { tools: known?.map(toMcpTool) ?? [] };
  });

  server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    const { name, arguments: args = {} } = request.params;
    if (known && !known.some((t) => t.name === name)) throw new McpError(ErrorCode.InvalidParams, `Unknown tool: ${name}`);
    const started = performance.now();
    const answer = await executeTool(client, name, args, options.timeoutMs, extra.signal);
    options.log('debug', 'tools/call', { tool: name, outcome: answer.kind, ms: Math.round(performance.now() - started) });
    if (answer.kind === 'error' && answer.status === 404 && answer.body.code === 'NOT_FOUND' && !answer.body.details) {
      throw new McpError(ErrorCode.InvalidParams, `Unknown tool: ${name}`);
    }
    try {
      return toCallToolResult(name, answer, ctx);
    } catch (err) {
      if (err instanceof McpError) throw err;
      return failure('UNKNOWN', String(err), 'Report this to the operator.');
    }
  });

  return { server, cleanup: () => server.close() };
}
