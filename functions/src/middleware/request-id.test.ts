// X-Request-Id on every answer, served by node-server on loopback (the header goes on its ServerResponse) and in
// process (through Hono's c.header); the id in the header is the one in error bodies and log lines.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LoggedLine, capturingLogger } from '../../../test/helpers/test-logger';
import { createApp } from '../app';
import { createDeps } from '../create-deps';
import type { AppDeps } from '../deps';
import { type ServedApp, serveOnLoopback } from '../../../test/helpers/serve-app';

const CLIENT = 'client-secret-token-1234567890';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let deps: AppDeps;
let app: ReturnType<typeof createApp>;
let served: ServedApp;
let url: string;
let lines: LoggedLine[];

beforeAll(async () => {
  const captured = capturingLogger();
  lines = captured.lines;
  deps = createDeps({
    env: { MCP_RATE_LIMIT_PER_MINUTE: '0' },
    version: 'test',
    logger: captured.logger,
    tokens: [{ id: 'client', sha256: createHash('sha256').update(CLIENT).digest('hex'), scopes: ['tools:read'] }],
  });
  app = createApp(deps);
  served = await serveOnLoopback(app.fetch);
  url = served.url;
});
afterAll(async () => {
  deps.jobs.close();
  await served.close();
});

const auth = { authorization: `Bearer ${CLIENT}` };

describe.each([
  ['over node-server', (path: string, headers: Record<string, string>) => fetch(`${url}${path}`, { headers })],
  ['in process', (path: string, headers: Record<string, string>) => Promise.resolve(app.request(path, { headers }))],
])('X-Request-Id %s', (_how, get) => {
  it('is on a JSON answer, once, and is the id of its request line', async () => {
    const res = await get('/tools', auth);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const id = res.headers.get('x-request-id') ?? '';
    expect(id).toMatch(UUID);
    await new Promise((r) => setImmediate(r));
    expect(lines.filter((l) => l.msg === 'request' && l.obj['requestId'] === id)).toHaveLength(1);
  });

  it('keeps a caller id that is short and plain, and replaces one that is not', async () => {
    expect((await get('/livez', { 'x-request-id': 'caller-id_42=' })).headers.get('x-request-id')).toBe('caller-id_42=');
    for (const bad of ['two words', 'a'.repeat(256), 'semi;colon'])
      expect((await get('/livez', { 'x-request-id': bad })).headers.get('x-request-id')).toMatch(UUID);
  });

  it('is on error answers too, the same id as in their body', async () => {
    const res = await get('/tools', { authorization: 'Bearer not-a-token' });
    expect(res.status).toBe(401);
    const body = (await res.json()) as { error: { requestId: string } };
    expect(res.headers.get('x-request-id')).toBe(body.error.requestId);
    expect(body.error.requestId).toMatch(UUID);
  });
});
