/**
 * The SDK's McpServer with the floor tool (floor-tool.ts), answering at once: the server of the MCP stdio and MCP over
 * HTTP floors (bench/floors.ts). No binary, no API: a call to it costs what the SDK client and server and the
 * transport between them cost on this machine.
 */
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { FLOOR_ANSWER, FLOOR_INPUT, FLOOR_OUTPUT } from './floor-tool';

export function floorMcpServer(): McpServer {
  const server = new McpServer({ name: 'netdiag-bench-floor', version: '1.0.0' });
  server.registerTool(
    'ping',
    { description: 'Answers a fixed loopback ping result at once (benchmark floor).', inputSchema: FLOOR_INPUT, outputSchema: FLOOR_OUTPUT },
    async () => FLOOR_ANSWER,
  );
  return server;
}
