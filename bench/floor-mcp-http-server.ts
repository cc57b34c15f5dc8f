/**
 * The MCP over HTTP floor's server (bench/floors.ts): the SDK's McpServer with one tool answering at once, over the
 * SDK's Streamable HTTP server transport on a bare node:http server on loopback. Stateful (a session id, as our /mcp)
 * and answering each POST as JSON (enableJsonResponse), as our /mcp answers a tools/call with a single answer
 * (functions/src/mcp-http/quiet-calls.ts, single-answer.ts). One session: the bench opens one client per floor
 * process. Run as `node --import tsx` this file; it prints its port and exits when its stdin ends.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { floorMcpServer } from './floor-mcp-server';

const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: () => randomUUID(), enableJsonResponse: true });
await floorMcpServer().connect(transport);

const server = createServer((req, res) => {
  if (req.url !== '/mcp') return void res.writeHead(404).end();
  void transport.handleRequest(req, res);
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`${typeof address === 'object' && address ? address.port : 0}\n`);
});
process.stdin.on('end', () => process.exit(0)).resume();
