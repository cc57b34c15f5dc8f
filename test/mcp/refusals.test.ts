import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_META_KEY } from '../../functions/mcp/answers';
import { type Running, type RunningApi, startApi, startRunner } from '../helpers/processes';
import { type ShimSession, connectShim } from '../helpers/shim-client';
import { type TestTokens, makeTokens } from '../helpers/tokens';
import { type HttpSession, connectHttp } from './helpers/http-client';

// Loopback is NOT allowed here, and a real runner is connected: if a refusal were broken, 127.0.0.1 and 0.0.0.0
// are the only places a packet could go.
let tokens: TestTokens;
let api: RunningApi;
let runner: Running;
let shim: ShimSession;
let http: HttpSession;

beforeAll(async () => {
  tokens = makeTokens();
  api = await startApi(tokens);
  runner = await startRunner(api, tokens);
  shim = await connectShim({ NETDIAG_API_URL: api.url, NETDIAG_TOKEN: tokens.client });
  http = await connectHttp(api.url, tokens.client);
  await shim.client.listTools();
  await http.client.listTools();
});
afterAll(async () => {
  await http?.close();
  await shim?.close();
  await runner?.stop();
  await api?.stop();
});

const jobCount = async (): Promise<number> =>
  ((await (await fetch(`${api.url}/jobs`, { headers: { authorization: `Bearer ${tokens.admin}` } })).json()) as { total: number }).total;
const text = (r: object): string => (((r as { content?: unknown }).content as Array<{ text?: string }> | undefined) ?? []).map((c) => c.text ?? '').join('\n');

describe.each([
  ['stdio shim', () => shim.client],
  ['/mcp', () => http.client],
])('a forbidden target over %s', (_name, client) => {
  it.each([
    ['ping', { target: '127.0.0.1', count: 1 }],
    ['ping', { target: '0.0.0.0', count: 1 }],
    ['nmap', { target: '127.0.0.1', ports: '80' }],
    ['http_probe', { target: '0.0.0.0', port: 80, scheme: 'http', path: '/' }],
  ])('%s %j is an isError FORBIDDEN_TARGET result with advice, and no job exists', async (name, args) => {
    const r = await client().callTool({ name, arguments: args });
    expect(r.isError).toBe(true);
    expect(text(r)).toMatch(/^FORBIDDEN_TARGET: .+\nWhat to do: .+/);
    expect(r._meta?.[ERROR_META_KEY]).toMatchObject({ code: 'FORBIDDEN_TARGET' });
    expect(r.structuredContent).toBeUndefined();
    expect(await jobCount()).toBe(0);
  });
});
