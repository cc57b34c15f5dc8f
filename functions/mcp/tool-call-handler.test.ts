import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { CallToolResultSchema, ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it } from 'vitest';
import type { McpApiPort } from './api-port';
import { callSignal } from './call-signal';
import { createMcpServer } from './server-factory';
import type { LocalTool } from './tool-catalogue';

const HINTS = { apiUrl: 'http://api', tokenName: 'the token', tokenFix: 'fix', unreachableFix: 'start it', timeoutFix: 'wait longer' };
const unused = async (): Promise<never> => {
  throw new Error('not in this test');
};
/** runOnce holds until the call's signal fires, as the API holds a call whose job has not ended. */
const port = (closed: string[]): McpApiPort => ({
  listTools: async () => ({ kind: 'ok', data: { tools: [] } }),
  runOnce: (_t, _a, ctx) =>
    new Promise((resolve) =>
      ctx.signal.addEventListener('abort', () => {
        closed.push(String((ctx.signal.reason as Error).name));
        resolve({ kind: 'aborted' });
      }),
    ),
  startJob: unused,
  awaitJob: unused,
  cancelJob: unused,
  listJobs: unused,
  getJob: unused,
  getPolicy: unused,
  jobEvents: async function* () {},
});
const broken: LocalTool = {
  definition: { name: 'broken', inputSchema: { type: 'object' } },
  run: async () => ({ content: [{ type: 'text' }] }) as never,
};

async function connect(p: McpApiPort, timeoutMs = 60_000): Promise<Client> {
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  const { server } = createMcpServer({ port: p, version: 't', hints: HINTS, timeoutMs, localTools: [broken] });
  await server.connect(serverSide);
  const client = new Client({ name: 't', version: '1' });
  await client.connect(clientSide);
  return client;
}

describe('tools/call handler', () => {
  it('still refuses a malformed request and a malformed result of a tool it did not build (-32602, as the SDK Server does)', async () => {
    const client = await connect(port([]));
    const bad = await client.request({ method: 'tools/call', params: { name: 5 } } as never, CallToolResultSchema).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(McpError);
    const result = await client.callTool({ name: 'broken' }).catch((e: unknown) => e);
    expect(result).toMatchObject({ code: ErrorCode.InvalidParams, message: expect.stringContaining('Invalid tools/call result') });
  });

  it('closes the held request at the deadline and answers TIMEOUT', async () => {
    const closed: string[] = [];
    const client = await connect(port(closed), 50);
    const r = await client.callTool({ name: 'ping', arguments: {} });
    expect(r).toMatchObject({ isError: true, content: [{ text: expect.stringMatching(/^TIMEOUT: No result within 50 ms; the request was closed/) }] });
    expect(closed).toEqual(['TimeoutError']);
  });
});

describe('callSignal', () => {
  it("fires on the caller's signal with its reason, not as a timeout, and lets go of it when done", () => {
    const caller = new AbortController();
    const call = callSignal(caller.signal, 60_000);
    caller.abort(new Error('cancelled'));
    expect(call.signal.aborted).toBe(true);
    expect((call.signal.reason as Error).message).toBe('cancelled');
    expect(call.timedOut()).toBe(false);
    call.done();
    const later = new AbortController();
    const other = callSignal(later.signal, 60_000);
    other.done();
    later.abort();
    expect(other.signal.aborted).toBe(false);
  });
});
