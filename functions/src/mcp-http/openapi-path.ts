import { type OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../app-env';
import { bearer, errorResponses } from '../schemas/responses';
import { API_EXAMPLES as EX } from '../schemas/api-examples';

const JsonRpcMessage = z
  .looseObject({
    jsonrpc: z.literal('2.0'),
    id: z.union([z.string(), z.number()]).optional(),
    method: z.string().optional(),
    params: z.record(z.string(), z.unknown()).optional(),
  })
  .meta({ id: 'JsonRpcMessage', description: 'One JSON-RPC 2.0 message of the Model Context Protocol (revision 2025-11-25).' });

const sessionHeader = z.object({
  'mcp-session-id': z.string().optional().describe('The session from the initialize response; required on every later request.'),
  'mcp-protocol-version': z.string().optional().describe('The negotiated MCP revision, e.g. 2025-11-25.'),
});

const DESCRIPTION =
  'Streamable HTTP transport of the Model Context Protocol (docs/design.md, "MCP"): tools (nmap, traceroute and mtr also as tasks), ' +
  'jobs, the target policy and the tool catalogue as resources, diagnostic prompts, completion, logging. Same bearer tokens and scopes as REST; ' +
  'Host and Origin are checked first. The messages are JSON-RPC; their schemas are the MCP specification, not this document.';

/**
 * /mcp in the OpenAPI document. The route itself is a plain Hono handler (route.ts) because the MCP SDK's transport
 * reads the raw request; this registers its description only, so the document lists every endpoint the API serves.
 */
export function describeMcpPath(app: OpenAPIHono<AppEnv>, path: string): void {
  const common = { tags: ['mcp'], security: bearer, description: DESCRIPTION };
  app.openAPIRegistry.registerPath({
    ...common,
    method: 'post',
    path,
    operationId: 'mcp_post',
    summary: 'MCP: send one JSON-RPC message (initialize opens a session); the answer is JSON or an event stream',
    request: { headers: sessionHeader, body: { required: true, content: { 'application/json': { schema: JsonRpcMessage, example: EX.mcpRequest } } } },
    responses: {
      200: {
        description: 'The JSON-RPC response, as JSON or as a text/event-stream carrying notifications before it',
        content: {
          'application/json': { schema: JsonRpcMessage, example: EX.mcpResponse },
          'text/event-stream': { schema: z.string(), example: EX.mcpStream },
        },
      },
      202: { description: 'A notification or response was accepted' },
      ...errorResponses(400, 401, 403, 404, 503),
    },
  });
  app.openAPIRegistry.registerPath({
    ...common,
    method: 'get',
    path,
    operationId: 'mcp_stream',
    summary: "MCP: the session's server-to-client event stream (list changes, resource updates, task status)",
    request: { headers: sessionHeader },
    responses: {
      200: { description: 'text/event-stream', content: { 'text/event-stream': { schema: z.string(), example: EX.mcpStream } } },
      ...errorResponses(400, 401, 403, 404),
    },
  });
  app.openAPIRegistry.registerPath({
    ...common,
    method: 'delete',
    path,
    operationId: 'mcp_end_session',
    summary: 'MCP: end the session',
    request: { headers: sessionHeader },
    responses: { 200: { description: 'The session ended' }, ...errorResponses(400, 401, 403, 404) },
  });
}
