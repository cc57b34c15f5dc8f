/**
 * The SDK-client-only floor's server (bench/floors.ts): a bare node:http server on loopback that answers the SDK
 * Client's Streamable HTTP requests with canned JSON (initialize with a session id, tools/list with the floor tool,
 * tools/call with its fixed result; 202 for notifications, 405 for the GET stream, 200 for DELETE). No SDK on this
 * side, as our /mcp's quiet path answers a tools/call without the SDK transport (functions/src/mcp-http/quiet-calls.ts):
 * a call to it costs the SDK client over a bare server. Run as `node --import tsx` this file; it prints its port and
 * exits when its stdin ends.
 */
import { createServer } from 'node:http';
import { z } from 'zod';
import { FLOOR_ANSWER, FLOOR_INPUT, FLOOR_OUTPUT } from './floor-tool';

const TOOL = { name: 'ping', inputSchema: z.toJSONSchema(z.object(FLOOR_INPUT)), outputSchema: z.toJSONSchema(z.object(FLOOR_OUTPUT)) };
const Message = z.object({ id: z.union([z.string(), z.number()]).optional(), method: z.string(), params: z.looseObject({}).optional() });

function answer(method: string, params: Record<string, unknown> | undefined): unknown {
  if (method === 'initialize')
    return { protocolVersion: params?.['protocolVersion'], capabilities: { tools: {} }, serverInfo: { name: 'canned', version: '1' } };
  if (method === 'tools/list') return { tools: [TOOL] };
  return FLOOR_ANSWER;
}

const server = createServer((req, res) => {
  if (req.method !== 'POST') return void res.writeHead(req.method === 'DELETE' ? 200 : 405).end();
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const m = Message.parse(JSON.parse(Buffer.concat(chunks).toString('utf8')));
    if (m.id === undefined) return void res.writeHead(202).end();
    const body = JSON.stringify({ result: answer(m.method, m.params), jsonrpc: '2.0', id: m.id });
    res.writeHead(200, { 'content-type': 'application/json', 'mcp-session-id': 'floor', 'content-length': Buffer.byteLength(body) }).end(body);
  });
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`${typeof address === 'object' && address ? address.port : 0}\n`);
});
process.stdin.on('end', () => process.exit(0)).resume();
