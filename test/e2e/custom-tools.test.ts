import { type Server as HttpServer, createServer as createHttpServer } from 'node:http';
import { type AddressInfo, type Server, createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Running, type RunningApi, startApi, startRunner } from '../helpers/processes';
import { type ShimSession, connectShim } from '../helpers/shim-client';
import { type TestTokens, makeTokens } from '../helpers/tokens';

// The two example tools, added only through TOOLS_PACKAGE=examples/tools: bundled shim → built API → built runner →
// real fping / a native TCP probe, against 127.0.0.1 only.
const PACKAGE = { TOOLS_PACKAGE: 'examples/tools', MCP_ALLOW_LOOPBACK: 'true' };

let tokens: TestTokens;
let api: RunningApi;
let runner: Running;
let shim: ShimSession;
let server: Server;
let port = 0;
let accepted = 0;
// The runner exports over OTLP (spans, and the example's own metrics) to this loopback receiver.
let otlp: HttpServer;
const otlpMetricBodies: string[] = [];

beforeAll(async () => {
  tokens = makeTokens();
  server = createServer((socket) => {
    accepted++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  otlp = createHttpServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      if (req.url === '/v1/metrics') otlpMetricBodies.push(body);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => otlp.listen(0, '127.0.0.1', resolve));
  const otel = {
    OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${(otlp.address() as AddressInfo).port}`,
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
    OTEL_METRIC_EXPORT_INTERVAL: '200',
    OTEL_METRIC_EXPORT_TIMEOUT: '200',
  };
  api = await startApi(tokens, PACKAGE);
  runner = await startRunner(api, tokens, { ...PACKAGE, ...otel }, { waitFor: 'tcp_connect' });
  shim = await connectShim({ NETDIAG_API_URL: api.url, NETDIAG_TOKEN: tokens.client });
});

afterAll(async () => {
  await shim?.close();
  await runner?.stop();
  await api?.stop();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  await new Promise<void>((resolve) => (otlp ? otlp.close(() => resolve()) : resolve()));
});

const get = async (path: string, token: string): Promise<Response> => fetch(`${api.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
const jobCount = async (tool: string): Promise<number> => ((await (await get(`/jobs?tool=${tool}`, tokens.admin)).json()) as { total: number }).total;

describe('custom tools from TOOLS_PACKAGE=examples/tools', () => {
  it('both entries say what they loaded', () => {
    for (const logs of [api.logs(), runner.logs()]) {
      const line = logs.split('\n').find((l) => l.includes('"custom tools loaded"'));
      expect(line).toBeDefined();
      expect(JSON.parse(line ?? '{}')).toMatchObject({ tools: ['fping', 'tcp_connect'] });
      expect(logs).not.toContain('custom tool not loaded');
    }
  });

  it('lists both through the shim with their schemas and annotations, available on the runner', async () => {
    const { tools } = await shim.client.listTools();
    const byName = new Map(tools.map((t) => [t.name, t]));
    const fping = byName.get('fping');
    const tcp = byName.get('tcp_connect');
    expect(fping?.inputSchema).toMatchObject({
      type: 'object',
      properties: { target: { type: 'string' }, count: { type: 'integer', maximum: 20 } },
      required: ['target'],
    });
    expect(fping?.outputSchema).toMatchObject({ properties: { rttMs: { type: 'array' }, lossPercent: { type: 'number' } } });
    expect(tcp?.inputSchema).toMatchObject({ properties: { port: { type: 'integer', minimum: 1, maximum: 65535 } }, required: ['target', 'port'] });
    expect(tcp?.annotations).toMatchObject({ readOnlyHint: true, destructiveHint: false });
    expect(tcp?._meta?.['io.netdiag/available']).toBe(true);
    expect(fping?._meta?.['io.netdiag/available']).toBe(true);
    // The built-ins are still there.
    expect(byName.has('ping')).toBe(true);
  });

  it('fping probes 127.0.0.1 through the real binary and returns the structured result', async () => {
    const r = await shim.client.callTool({ name: 'fping', arguments: { target: '127.0.0.1', count: 2, intervalMs: 100, probeTimeoutMs: 300 } });
    expect(r.isError).toBeFalsy();
    expect(r.structuredContent).toMatchObject({ target: '127.0.0.1', address: '127.0.0.1', sent: 2, received: 2, lossPercent: 0 });
    expect((r.content as Array<{ text: string }>)[0]?.text).toContain('"received": 2');
  });

  it('tcp_connect times connections to a loopback server; its runner-side metric goes out over OTLP', async () => {
    const before = accepted;
    const r = await shim.client.callTool({ name: 'tcp_connect', arguments: { target: '127.0.0.1', port, count: 2, intervalMs: 0 } });
    expect(r.isError).toBeFalsy();
    expect(r.structuredContent).toMatchObject({ address: '127.0.0.1', port, connected: 2, failed: 0, stats: { minMs: expect.any(Number) } });
    await expect.poll(() => accepted - before).toBe(2);
    // Recorded by the executor in the runner (toolMetrics), which serves no /metrics: it goes out over OTLP.
    await expect.poll(() => otlpMetricBodies.join('\n'), { timeout: 5000 }).toContain('netdiag_custom_tcp_connect_connect_seconds');
  });

  it('validates parameters in the API like a built-in (schema bounds and the tool checkParams) before any job', async () => {
    const before = await jobCount('fping');
    await expect(shim.client.callTool({ name: 'tcp_connect', arguments: { target: '127.0.0.1', port: 70_000 } })).rejects.toThrow(/-32602|port/);
    // Arguments the API refuses are JSON-RPC -32602 in MCP, whichever check refused them.
    await expect(shim.client.callTool({ name: 'fping', arguments: { target: '127.0.0.1', count: 20, intervalMs: 5000 } })).rejects.toThrow(
      /-32602.*more than the 30 s deadline/,
    );
    expect(await jobCount('fping')).toBe(before);
  });

  it('refuses a target outside the policy with FORBIDDEN_TARGET before any job exists', async () => {
    const before = { fping: await jobCount('fping'), tcp: await jobCount('tcp_connect'), accepted };
    for (const [name, args] of [
      ['fping', { target: '0.0.0.0' }],
      ['tcp_connect', { target: '0.0.0.0', port }],
    ] as const) {
      const r = await shim.client.callTool({ name, arguments: args });
      expect(r.isError).toBe(true);
      expect((r.content as Array<{ text: string }>)[0]?.text).toMatch(/^FORBIDDEN_TARGET/);
    }
    expect({ fping: await jobCount('fping'), tcp: await jobCount('tcp_connect'), accepted }).toEqual(before);
  });

  it('registers the package health check (informational) and its counter lands in the API /metrics', async () => {
    const health = (await (await get('/health', tokens.reader)).json()) as { checks: Array<{ name: string; priority: number; status: string }> };
    expect(health.checks).toContainEqual(expect.objectContaining({ name: 'tcp_connect.metrics', priority: 5, status: 'healthy' }));
    const text = await (await get('/metrics', tokens.admin)).text();
    expect(text).toMatch(/^netdiag_custom_tcp_connect_health_checks_total(\{[^}]*\})? [1-9]/m);
    // Custom tools are counted under the built-in series too, like any tool.
    expect(text).toMatch(/^mcp_tool_execution_total\{tool="tcp_connect",status="success"\} [1-9]/m);
  });
});
