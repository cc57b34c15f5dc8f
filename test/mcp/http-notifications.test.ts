import { type LoggingMessageNotification, LoggingMessageNotificationSchema, ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually } from './helpers/lab';
import { MCP_TOKENS, type McpApp, makeMcpApp } from './helpers/in-process';

// /mcp in process: notifications/tools/list_changed on the session's GET stream, and job lifecycle logging.
let mcp: McpApp;
afterEach(async () => {
  await mcp?.close();
});

describe('notifications/tools/list_changed over /mcp', () => {
  it('is sent when an admin disables or enables a tool, and the list follows', async () => {
    mcp = makeMcpApp();
    const { client, close } = await mcp.connect(MCP_TOKENS.client);
    let changes = 0;
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
      changes += 1;
    });
    expect((await client.listTools()).tools.map((t) => t.name)).toContain('nmap');
    expect((await mcp.request('POST', '/tools/nmap/disable', { token: MCP_TOKENS.admin })).status).toBe(200);
    expect(await eventually(async () => changes === 1)).toBe(true);
    expect((await client.listTools()).tools.map((t) => t.name)).not.toContain('nmap');
    await mcp.request('POST', '/tools/nmap/enable', { token: MCP_TOKENS.admin });
    expect(await eventually(async () => changes === 2)).toBe(true);
    expect((await client.listTools()).tools.map((t) => t.name)).toContain('nmap');
    await close();
  });

  it('is sent when a runner with new tools joins: those tools become available', async () => {
    mcp = makeMcpApp();
    const { client, close } = await mcp.connect(MCP_TOKENS.client);
    let changes = 0;
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
      changes += 1;
    });
    const before = (await client.listTools()).tools.find((t) => t.name === 'ping');
    expect(before?._meta).toEqual({ 'io.netdiag/available': false });
    expect(before?.description).toMatch(/No runner offers this tool right now/);
    // A runner joins with its first claim (nothing is queued, so it comes back at once).
    const claim = await mcp.request('POST', '/runner/claim', { token: MCP_TOKENS.runner, body: { runnerId: 'lab-runner-1', tools: ['ping'], waitMs: 0 } });
    expect(claim.status).toBe(200);
    expect(await eventually(async () => changes >= 1)).toBe(true);
    const after = (await client.listTools()).tools.find((t) => t.name === 'ping');
    expect(after?._meta).toEqual({ 'io.netdiag/available': true });
    await close();
  });
});

describe('job lifecycle logging over /mcp honours logging/setLevel', () => {
  // No runner: the job waits in the queue, then fails with NO_RUNNER after 100 ms.
  const run = async (level: 'debug' | 'error' | undefined): Promise<LoggingMessageNotification['params'][]> => {
    mcp = makeMcpApp({}, { queueWaitMs: 100 });
    const { client, close } = await mcp.connect(MCP_TOKENS.client);
    const logs: LoggingMessageNotification['params'][] = [];
    client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => {
      logs.push(n.params);
    });
    if (level) await client.setLoggingLevel(level);
    const r = await client.callTool({ name: 'ping', arguments: { target: '10.0.0.1' } });
    expect(r.isError).toBe(true);
    await client.ping();
    await close();
    await mcp.close();
    return logs;
  };

  it('sends nothing until the client sets a level', async () => {
    expect(await run(undefined)).toEqual([]);
  });

  it('at error, only the failure; at debug, the queueing too', async () => {
    const errors = await run('error');
    expect(errors.map((l) => l.level)).toEqual(['error']);
    expect(errors[0]).toMatchObject({ logger: 'netdiag', data: { tool: 'ping', message: expect.stringMatching(/^ping job \S+ failed: NO_RUNNER /) } });
    const all = await run('debug');
    expect(all.map((l) => l.level)).toEqual(['debug', 'error']);
    expect(all[0]?.data).toMatchObject({ message: expect.stringMatching(/is queued, waiting for a runner$/) });
  });
});
