/**
 * The MCP stdio floor's server (bench/floors.ts): the SDK's McpServer with one tool answering at once, over the SDK's
 * stdio transport. Run as `node --import tsx` this file; it exits when its stdin ends (the client closed).
 */
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { floorMcpServer } from './floor-mcp-server';

await floorMcpServer().connect(new StdioServerTransport());
process.stdin.on('end', () => process.exit(0));
