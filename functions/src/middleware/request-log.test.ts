import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../app';
import { createDeps } from '../create-deps';
import type { AppDeps } from '../deps';
import { type LoggedLine, capturingLogger } from '../../../test/helpers/test-logger';

const sha256 = (t: string): string => createHash('sha256').update(t).digest('hex');
const CLIENT = 'client-secret-token-1234567890';
const RUNNER = 'runner-secret-token-1234567890';

let deps: AppDeps | undefined;
afterEach(() => deps?.jobs.close());

type Call = (method: string, path: string, token?: string, body?: unknown) => Promise<Response>;

/** The line is written after the answer (setImmediate): wait for it. */
const afterAnswer = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function setup(): { lines: LoggedLine[]; call: Call; answerOnly: Call } {
  const { logger, lines } = capturingLogger();
  deps = createDeps({
    env: { MCP_RATE_LIMIT_PER_MINUTE: '0' },
    version: 'test',
    logger,
    tokens: [
      { id: 'client', sha256: sha256(CLIENT), scopes: ['tools:read', 'tools:run'] },
      { id: 'runner', sha256: sha256(RUNNER), scopes: ['runner'] },
    ],
  });
  const app = createApp(deps);
  const answerOnly: Call = async (method, path, token, body) =>
    app.request(`http://localhost${path}`, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  const call: Call = async (...args) => {
    const res = await answerOnly(...args);
    await afterAnswer();
    return res;
  };
  return { lines, call, answerOnly };
}

const requests = (lines: LoggedLine[]): LoggedLine[] => lines.filter((l) => l.msg === 'request');

describe('request log', () => {
  it('logs one line per request with id, method, path, status, duration and principal id', async () => {
    const { lines, call } = setup();
    const res = await call('GET', '/tools?verbose=1', CLIENT);
    expect(res.status).toBe(200);
    const logged = requests(lines);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toEqual({
      level: 'info',
      msg: 'request',
      obj: { requestId: res.headers.get('x-request-id'), method: 'GET', path: '/tools', status: 200, durationMs: expect.any(Number), principal: 'client' },
    });
  });

  it('writes the line once the answer is out, not before (the log file write is not on the call path)', async () => {
    const { lines, answerOnly } = setup();
    expect((await answerOnly('GET', '/tools', CLIENT)).status).toBe(200);
    expect(requests(lines)).toHaveLength(0);
    await afterAnswer();
    expect(requests(lines)).toHaveLength(1);
  });

  it('logs refused requests with their status and no principal, and never the token', async () => {
    const { lines, call } = setup();
    await call('GET', '/tools', 'not-a-known-token-value');
    await call('POST', '/tools/ping/execute', CLIENT, { target: '127.0.0.1' });
    const logged = requests(lines);
    expect(logged.map((l) => [l.obj['status'], l.obj['principal']])).toEqual([
      [401, null],
      [403, 'client'],
    ]);
    const text = JSON.stringify(lines);
    expect(text).not.toContain('not-a-known-token-value');
    expect(text).not.toContain(CLIENT);
  });

  it('logs a runner claim that returns no job at debug, and one that returns a job at info', async () => {
    const { lines, call } = setup();
    await call('POST', '/runner/claim', RUNNER, { runnerId: 'r1', tools: ['ping'], waitMs: 0 });
    await call('POST', '/tools/ping/execute?async=true', CLIENT, { target: '10.0.0.1' });
    const claimed = await call('POST', '/runner/claim', RUNNER, { runnerId: 'r1', tools: ['ping'], waitMs: 0 });
    expect(((await claimed.json()) as { job?: unknown }).job).toBeDefined();
    const claims = requests(lines).filter((l) => l.obj['path'] === '/runner/claim');
    expect(claims.map((l) => [l.level, l.obj['principal']])).toEqual([
      ['debug', 'runner'],
      ['info', 'runner'],
    ]);
  });

  it('logs 5xx answers at warn', async () => {
    const { lines, call } = setup();
    deps!.lifecycle.draining = true;
    expect((await call('POST', '/tools/ping/execute', CLIENT, { target: '10.0.0.1' })).status).toBe(503);
    expect(requests(lines).map((l) => [l.level, l.obj['status']])).toEqual([['warn', 503]]);
  });
});
