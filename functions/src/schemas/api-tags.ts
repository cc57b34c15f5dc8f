/**
 * The tags operations are grouped by, each described once: Swagger UI shows these as sections, generated clients
 * (openapi/, test/api/second-generator.test.ts) group methods by them. The spec lint (redocly.yaml,
 * operation-tag-defined) fails on a tag used by an operation but missing here.
 */
export const API_TAGS = [
  { name: 'service', description: 'What this server is: its version, configuration, policy and metrics.' },
  { name: 'health', description: 'Liveness, readiness and the health report with its checks.' },
  { name: 'tools', description: 'The diagnostic tools: list them, run one (synchronously or as a job), enable or disable one.' },
  { name: 'jobs', description: 'Jobs started by tool calls: their state, progress events and cancellation.' },
  { name: 'events', description: 'Service events (tool list changes, runners joining and leaving) as Server-Sent Events.' },
  { name: 'runner', description: 'The pull protocol between runners and the API: register, claim, heartbeat, complete.' },
  { name: 'mcp', description: 'The Model Context Protocol over Streamable HTTP (JSON-RPC); the same tools as the REST routes.' },
  { name: 'docs', description: 'This API reference: the OpenAPI document and the Swagger UI page on it.' },
];
