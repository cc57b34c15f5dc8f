import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import {
  ElicitRequestSchema,
  ErrorCode,
  LoggingMessageNotificationSchema,
  type McpError,
  ToolListChangedNotificationSchema,
} from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it } from 'vitest';
import type { ToolInfo } from '../../openapi/client';
import type { ApiAnswer } from './api-answer';
import type { McpApiPort, PortContext } from './api-port';
import { IDEMPOTENCY_META_KEY } from './call-meta';
import { createMcpServer } from './server-factory';
import type { LocalTool } from './tool-catalogue';

const HINTS = { apiUrl: 'http://api', tokenName: 'the token', tokenFix: 'fix the token', unreachableFix: 'start it', timeoutFix: 'wait longer' };
const TP = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
const info = (name: string): ToolInfo => ({
  name,
  title: name,
  description: `${name}. Allowed targets: 10.0.0.0/8.`,
  inputSchema: { type: 'object' },
  outputSchema: { type: 'object' },
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  longRunning: false,
  policy: { allowCidr: false, defaultTimeoutSec: 30, maxTimeoutSec: 60, allowedTargets: '10.0.0.0/8' },
  available: true,
  runners: ['r1'],
  unavailableOn: [],
  breaker: 'CLOSED',
});

/** A port that records every call; awaitJob waits for `finish` or the caller's abort. */
function fakePort(tools: () => ToolInfo[]) {
  const seen: Array<{ op: string; key?: string; headers: PortContext['headers'] }> = [];
  let finish: ((a: ApiAnswer<{ jobId: string; result: Record<string, unknown> }>) => void) | undefined;
  const port: McpApiPort = {
    listTools: async (ctx) => (seen.push({ op: 'list', headers: ctx.headers }), { kind: 'ok', data: { tools: tools() } }),
    startJob: async (_t, _a, key, ctx) => (
      seen.push({ op: 'start', key, headers: ctx.headers }),
      { kind: 'ok', data: { jobId: 'j1', status: 'queued', reattached: false, links: { self: '', events: '' } } }
    ),
    awaitJob: (_t, _a, key, ctx) => {
      seen.push({ op: 'await', key, headers: ctx.headers });
      return new Promise((resolve) => {
        finish = resolve;
        ctx.signal.addEventListener('abort', () => resolve({ kind: 'aborted' }));
      });
    },
    runOnce: (_t, _a, ctx) => {
      seen.push({ op: 'once', headers: ctx.headers });
      return new Promise((resolve) => {
        finish = resolve;
        ctx.signal.addEventListener('abort', () => {
          seen.push({ op: 'once closed', headers: ctx.headers });
          resolve({ kind: 'aborted' });
        });
      });
    },
    jobEvents: async function* () {},
    cancelJob: async (id, ctx) => (seen.push({ op: `cancel ${id}`, headers: ctx.headers }), { kind: 'ok', data: {} }),
    listJobs: async () => ({ kind: 'ok', data: { jobs: [] } }),
    getJob: async () => ({ kind: 'error', status: 404, body: { code: 'NOT_FOUND', message: 'No such job.', recoverySuggestion: '' } }),
    getPolicy: async () => ({ kind: 'unreachable', reason: 'not in this test' }),
  };
  return { port, seen, finish: (a: Parameters<NonNullable<typeof finish>>[0]) => finish?.(a) };
}

async function connect(port: McpApiPort, extra: { localTools?: LocalTool[]; emit?: (l: () => void) => void } = {}) {
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  // As /mcp does: the caller's token reaches the handlers as authInfo.
  const send = clientSide.send.bind(clientSide);
  clientSide.send = (m, o) => send(m, { ...o, authInfo: { token: 'caller-token', clientId: 'c', scopes: [] } });
  const catalogue = { subscribe: (l: () => void) => (extra.emit?.(l), () => undefined) };
  const { server } = createMcpServer({ port, version: 't', hints: HINTS, timeoutMs: 60_000, catalogue, localTools: extra.localTools });
  await server.connect(serverSide);
  const client = new Client({ name: 't', version: '1' });
  await client.connect(clientSide);
  return client;
}

const until = async (check: () => boolean): Promise<void> => {
  for (let i = 0; i < 200 && !check(); i += 1) await new Promise((r) => setTimeout(r, 5));
};

describe('createMcpServer', () => {
  it("passes the caller's Authorization and a valid traceparent to every API request of a call", async () => {
    const f = fakePort(() => [info('ping')]);
    const client = await connect(f.port);
    const call = client.callTool({ name: 'ping', arguments: {}, _meta: { traceparent: TP } });
    await until(() => f.seen.some((s) => s.op === 'once'));
    f.finish({ kind: 'ok', data: { jobId: 'j1', result: { ok: true } } });
    expect((await call).structuredContent).toEqual({ ok: true });
    // Nobody follows this call: one held request, no job key.
    expect(f.seen.filter((x) => x.op !== 'list').map((x) => x.op)).toEqual(['once']);
    for (const s of f.seen.filter((x) => x.op !== 'list')) expect(s.headers).toEqual({ authorization: 'Bearer caller-token', traceparent: TP });
  });

  it('starts a job and holds it under one key when the caller wants progress', async () => {
    const f = fakePort(() => [info('ping')]);
    const client = await connect(f.port);
    const call = client.callTool({ name: 'ping', arguments: {}, _meta: { traceparent: TP, progressToken: 7 } });
    await until(() => f.seen.some((s) => s.op === 'await'));
    f.finish({ kind: 'ok', data: { jobId: 'j1', result: { ok: true } } });
    expect((await call).structuredContent).toEqual({ ok: true });
    expect(f.seen.filter((x) => x.op !== 'list').map((x) => x.op)).toEqual(['start', 'await']);
    for (const s of f.seen.filter((x) => x.op !== 'list')) expect(s.headers).toEqual({ authorization: 'Bearer caller-token', traceparent: TP });
    const keys = f.seen.filter((s) => s.key).map((s) => s.key);
    expect(keys).toHaveLength(2);
    expect(new Set(keys).size).toBe(1);
  });

  it('turns VALIDATION_ERROR and unknown tools into -32602, other API errors into isError results', async () => {
    const answers: Array<ApiAnswer<never>> = [
      { kind: 'error', status: 400, body: { code: 'VALIDATION_ERROR', message: 'Invalid count', recoverySuggestion: 'fix it' } },
      { kind: 'error', status: 404, body: { code: 'NOT_FOUND', message: 'No route', recoverySuggestion: 'x' } },
      { kind: 'error', status: 401, body: { code: 'UNAUTHORIZED', message: 'No bearer token was sent.', recoverySuggestion: 'x' } },
      { kind: 'unreachable', reason: 'ECONNREFUSED' },
    ];
    const f = fakePort(() => []);
    f.port.startJob = async () => answers.shift() ?? { kind: 'unreachable', reason: '?' };
    f.port.runOnce = async () => answers.shift() ?? { kind: 'unreachable', reason: '?' };
    const client = await connect(f.port);
    for (let i = 0; i < 2; i += 1) {
      const err = await client.callTool({ name: 'ping', arguments: {} }).catch((e: unknown) => e);
      expect((err as McpError).code).toBe(ErrorCode.InvalidParams);
    }
    expect(await client.callTool({ name: 'ping', arguments: {} })).toMatchObject({
      isError: true,
      content: [{ text: 'UNAUTHORIZED: The netdiag API at http://api rejected the token: No bearer token was sent.\nWhat to do: fix the token' }],
    });
    expect(await client.callTool({ name: 'ping', arguments: {} })).toMatchObject({
      isError: true,
      content: [{ text: expect.stringMatching(/^API_UNREACHABLE: .*\(ECONNREFUSED\)/) }],
    });
  });

  it.each([
    ['a plain call closes its one request (the API cancels a keyless job whose caller left)', undefined, 'once', ['once closed']],
    ['a call with progress cancels its job explicitly', { progressToken: 3 }, 'await', ['cancel j1']],
    ['a call with a retry key leaves the job running', { [IDEMPOTENCY_META_KEY]: 'k' }, 'await', []],
  ])('on notifications/cancelled: %s', async (_name, meta, held, stops) => {
    const f = fakePort(() => [info('ping')]);
    const client = await connect(f.port);
    const abort = new AbortController();
    const call = client.callTool({ name: 'ping', arguments: {}, ...(meta ? { _meta: meta } : {}) }, undefined, { signal: abort.signal });
    await until(() => f.seen.some((s) => s.op === held));
    abort.abort();
    await expect(call).rejects.toThrow();
    await client.ping(); // the server has handled the cancellation before it answers this
    await until(() => stops.length === 0 || f.seen.some((s) => s.op.startsWith('cancel') || s.op === 'once closed'));
    expect(f.seen.filter((s) => s.op.startsWith('cancel') || s.op === 'once closed').map((s) => s.op)).toEqual(stops);
  });

  it('sends tools/list_changed only when the list a client saw really changed', async () => {
    let tools = [info('ping')];
    let signal: () => void = () => undefined;
    const f = fakePort(() => tools);
    const client = await connect(f.port, { emit: (l) => (signal = l) });
    let changes = 0;
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => void (changes += 1));
    await client.listTools();
    const lists = (): number => f.seen.filter((s) => s.op === 'list').length;
    signal();
    await until(() => lists() === 2);
    await client.ping();
    expect(changes).toBe(0);
    tools = [info('ping'), info('nmap')];
    signal();
    await until(() => changes === 1);
    expect(changes).toBe(1);
  });

  it('gives local tools a logger that honours logging/setLevel', async () => {
    const chatty: LocalTool = {
      definition: { name: 'chatty', inputSchema: { type: 'object' } },
      run: async (_a, _e, { log }) => {
        await log('debug', 'detail');
        await log('error', 'problem');
        return { content: [{ type: 'text', text: 'ok' }] };
      },
    };
    const client = await connect(fakePort(() => []).port, { localTools: [chatty] });
    const levels: string[] = [];
    client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => void levels.push(n.params.level));
    await client.callTool({ name: 'chatty' });
    await client.setLoggingLevel('warning');
    await client.callTool({ name: 'chatty' });
    await client.ping();
    expect(levels).toEqual(['error']);
  });

  it("gives the SDK no Ajv validator: a form answer through the SDK's elicitInput is refused, not checked", async () => {
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    const { server } = createMcpServer({ port: fakePort(() => []).port, version: 't', hints: HINTS, timeoutMs: 60_000 });
    await server.connect(serverSide);
    const client = new Client({ name: 't', version: '1' }, { capabilities: { elicitation: { form: {} } } });
    client.setRequestHandler(ElicitRequestSchema, async () => ({ action: 'accept', content: { confirm: true } }));
    await client.connect(clientSide);
    const requestedSchema = { type: 'object' as const, properties: { confirm: { type: 'boolean' as const } }, required: ['confirm'] };
    // With the SDK's default (Ajv) this answer would pass; confirm-intrusive.ts checks its answer itself instead.
    await expect(server.elicitInput({ mode: 'form', message: 'Run?', requestedSchema })).rejects.toThrow(/validates no JSON Schema/);
  });
});
