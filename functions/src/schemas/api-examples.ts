/**
 * Example bodies of the control-plane answers for openapi/openapi.json (documentation only: nothing is sent).
 * Lab targets only (10.0.0.x, *.lab.internal); redocly's no-invalid-media-type-examples checks them against the schemas.
 */
import { SERVICE_LINKS } from './service-links';

const JOB_ID = '3f2b8c1e-7d4a-4e0b-9c61-5a2e8d9f0b14';

const PING_JOB = {
  id: JOB_ID,
  tool: 'ping',
  status: 'succeeded',
  target: '10.0.0.5',
  principal: 'ops-oncall',
  params: { target: '10.0.0.5', count: 4 },
  createdAt: '2026-03-14T09:26:53.000Z',
  claimedAt: '2026-03-14T09:26:53.120Z',
  finishedAt: '2026-03-14T09:26:56.190Z',
  runnerId: 'runner-lab-01',
  attempts: 1,
  resolvedAddress: '10.0.0.5',
  durationMs: 3046,
  result: { target: '10.0.0.5', address: '10.0.0.5', transmitted: 4, received: 4, lossPercent: 0 },
};

const TOOL_INFO = {
  name: 'ping',
  title: 'Ping a host',
  description: 'Send ICMP echo requests to one allowed host and report loss and round-trip times.',
  inputSchema: { type: 'object', properties: { target: { type: 'string' } }, required: ['target'] },
  outputSchema: { type: 'object', properties: { lossPercent: { type: 'number' } } },
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  longRunning: false,
  policy: { allowCidr: false, defaultTimeoutSec: 30, maxTimeoutSec: 60, allowedTargets: '10.0.0.0/24, *.lab.internal' },
  available: true,
  runners: ['runner-lab-01'],
  unavailableOn: [],
  breaker: 'CLOSED',
  sandboxes: [{ runnerId: 'runner-lab-01', mode: 'helper', protections: ['rlimits', 'pdeathsig', 'pidns', 'identity', 'seccomp', 'filesystem'] }],
};

const healthCheck = (status: string, message: string): object => ({
  name: 'runners',
  priority: 1,
  status,
  message,
  details: { connected: status === 'healthy' ? 1 : 0 },
});

export const API_EXAMPLES = {
  serviceInfo: {
    name: 'netdiag-mcp',
    version: '0.1.0',
    protocols: { mcp: '2025-11-25', openapi: '3.1.0' },
    links: SERVICE_LINKS,
    endpoints: [
      { method: 'GET', path: '/tools', summary: 'Tools and their schemas' },
      { method: 'POST', path: '/tools/ping/execute', summary: 'Ping a host' },
    ],
  },
  liveness: { status: 'ok' },
  healthy: {
    status: 'healthy',
    checks: [healthCheck('healthy', '1 runner connected'), { name: 'queue', priority: 2, status: 'healthy', message: '0 of 100 queued' }],
  },
  degraded: { status: 'degraded', checks: [healthCheck('degraded', 'No runner connected yet; jobs wait in the queue')] },
  unhealthy: { status: 'unhealthy', checks: [{ name: 'queue', priority: 1, status: 'unhealthy', message: '100 of 100 queued: the queue is full' }] },
  ready: { ready: true },
  notReady: { ready: false },
  toolList: { tools: [TOOL_INFO] },
  toolDetail: { ...TOOL_INFO, enabled: true },
  toolState: { name: 'nmap', enabled: false, changed: true },
  jobView: PING_JOB,
  jobList: { jobs: [PING_JOB], total: 42, nextCursor: JOB_ID },
  acceptedJob: { jobId: JOB_ID, status: 'queued', reattached: false, links: { self: `/jobs/${JOB_ID}`, events: `/jobs/${JOB_ID}/events` } },
  jobEvents: `id: 17\nevent: state\ndata: {"id":"${JOB_ID}","tool":"ping","status":"running","target":"10.0.0.5"}\n\nid: 18\nevent: job.succeeded\ndata: {"jobId":"${JOB_ID}","tool":"ping","durationMs":3046}\n\n`,
  events: `id: 41\nevent: runner.joined\ndata: {"runnerId":"runner-lab-01","tools":["ping","traceroute"]}\n\nid: 42\nevent: job.queued\ndata: {"jobId":"${JOB_ID}","tool":"ping","target":"10.0.0.5"}\n\n`,
  config: {
    file: '/etc/netdiag/config.yaml',
    settings: [
      { key: 'MCP_ALLOWED_RANGES', value: '10.0.0.0/24', source: 'file', redacted: false },
      { key: 'MCP_API_TOKENS', value: null, source: 'env', redacted: true },
      { key: 'MCP_LONG_POLL_MS', value: 25000, source: 'default', redacted: false },
    ],
    warnings: [],
  },
  policy: {
    allowedRanges: ['10.0.0.0/24'],
    allowedSuffixes: ['.lab.internal'],
    alwaysDenied: ['169.254.0.0/16', '224.0.0.0/4', '0.0.0.0/8'],
    loopbackAllowed: false,
    intrusiveAllowed: false,
    maxCidrHosts: 256,
    summary: 'Targets in 10.0.0.0/24 or under .lab.internal; loopback and intrusive scans refused.',
  },
  metricsText:
    '# HELP mcp_tool_executions_total Tool executions by outcome.\n# TYPE mcp_tool_executions_total counter\nmcp_tool_executions_total{tool="ping",outcome="success"} 12\n',
  metricsJson: {
    timestamp: '2026-03-14T09:30:00.000Z',
    system: {
      cpu: { percent: 3.2, userSeconds: 41.7, systemSeconds: 6.3, cores: 2 },
      memory: { rssBytes: 98566144, heapUsedBytes: 41943040, heapTotalBytes: 62914560, totalBytes: 8246337536, freeBytes: 5368709120 },
    },
    tools: { ping: { executions: 12, successes: 11, failures: 1, timeouts: 0, avg_duration: 3.05, active: 0, queued: 0, circuit_breaker: 'closed' } },
    runners: { connected: 1 },
  },
  openapi: {
    openapi: '3.1.0',
    info: { title: 'netdiag-mcp', version: '0.1.0' },
    paths: { '/livez': { get: { operationId: 'livez', summary: 'Liveness: the process answers' } } },
  },
  docsHtml: '<!doctype html>\n<html lang="en"><head><title>netdiag-mcp API</title></head><body><div id="swagger-ui"></div></body></html>\n',
  mcpRequest: { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'ping', arguments: { target: '10.0.0.5', count: 4 } } },
  mcpResponse: { jsonrpc: '2.0', id: 1, result: { content: [{ type: 'text', text: 'ping 10.0.0.5: 4/4 replies, 0% loss, avg 0.41 ms' }], isError: false } },
  mcpStream: 'event: message\ndata: {"jsonrpc":"2.0","method":"notifications/progress","params":{"progressToken":1,"progress":2,"total":4}}\n\n',
} as const;
