import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Scope } from '../../functions/src/auth/scopes';
import { TOKENS, makeTestApp } from '../helpers/app';
import { ROOT } from '../helpers/processes';

// Every operation in openapi/openapi.json × {no token, wrong token, client, reader, runner, admin}:
// 401 without a (known) token, 403 without the scope, through to the handler otherwise. Only /livez and the API
// reference (/docs, /openapi.json: public by default, MCP_DOCS_PUBLIC) are open.

/** The scope each operation needs (null: open). A new route fails the test until it is listed here. */
const REQUIRED: Record<string, Scope | null> = {
  'GET /livez': null,
  'GET /': 'tools:read',
  'GET /health': 'tools:read',
  'GET /readyz': 'tools:read',
  'GET /tools': 'tools:read',
  'GET /tools/{name}': 'tools:read',
  'POST /tools/{name}/enable': 'tools:admin',
  'POST /tools/{name}/disable': 'tools:admin',
  'POST /tools/*/execute': 'tools:run',
  'GET /jobs': 'tools:read',
  'GET /jobs/{id}': 'tools:read',
  'DELETE /jobs/{id}': 'tools:run',
  'GET /jobs/{id}/events': 'tools:read',
  'GET /events': 'tools:read',
  'GET /config': 'tools:admin',
  'GET /policy': 'tools:read',
  // Either tools:read or tools:run, per JSON-RPC method: test/mcp/http-security.test.ts covers /mcp (the matrix skips it).
  'POST /mcp': 'tools:read',
  'GET /mcp': 'tools:read',
  'DELETE /mcp': 'tools:read',
  'GET /metrics': 'tools:admin', // or `metrics`, a scrape token's scope (test/observability/metrics.test.ts)
  'GET /openapi.json': null,
  'GET /docs': null,
  'POST /runner/claim': 'runner',
  'POST /runner/control': 'runner',
  'POST /runner/jobs/{id}/heartbeat': 'runner',
  'POST /runner/jobs/{id}/complete': 'runner',
  'POST /runner/register': 'runner',
  'POST /runner/deregister': 'runner',
};

/** Scopes of the tokens in test/helpers/app.ts. */
const CALLERS: Record<string, { token: string | undefined; scopes: readonly Scope[] }> = {
  'no token': { token: undefined, scopes: [] },
  'wrong token': { token: 'wrong-token-zzzzzzzzzzzzzzzz', scopes: [] },
  client: { token: TOKENS.client, scopes: ['tools:read', 'tools:run'] },
  reader: { token: TOKENS.reader, scopes: ['tools:read'] },
  runner: { token: TOKENS.runner, scopes: ['runner'] },
  admin: { token: TOKENS.admin, scopes: ['tools:read', 'tools:run', 'tools:admin'] },
};

/** Minimal valid bodies, so an allowed call gets past validation into the handler. */
function bodyFor(method: string, path: string): unknown {
  if (method !== 'POST') return undefined;
  const execute = /^\/tools\/([^/{}]+)\/execute$/.exec(path);
  if (execute) return execute[1] === 'dig' ? { name: 'host.lab.internal' } : { target: '10.0.0.1' };
  switch (path) {
    case '/runner/claim':
      return { runnerId: 'matrix', tools: ['ping'], waitMs: 0 };
    case '/runner/control':
      return { runnerId: 'matrix', waitMs: 0 };
    case '/runner/jobs/{id}/heartbeat':
      return { leaseId: 'not-a-lease' };
    case '/runner/jobs/{id}/complete':
      return {
        leaseId: 'not-a-lease',
        outcome: { status: 'failed', error: { code: 'UNKNOWN', message: 'matrix', recoverySuggestion: 'none' }, durationMs: 0 },
      };
    case '/runner/register':
      return { runnerId: 'matrix', version: '0.0.0', tools: ['ping'], privileged: false, capacity: 1 };
    case '/runner/deregister':
      return { runnerId: 'matrix' };
    default:
      return undefined;
  }
}

interface Operation {
  method: string;
  path: string;
  open: boolean;
}

const doc = JSON.parse(readFileSync(`${ROOT}openapi/openapi.json`, 'utf8')) as { paths: Record<string, Record<string, { security?: unknown[] }>> };
const operations: Operation[] = Object.entries(doc.paths).flatMap(([path, methods]) =>
  Object.entries(methods).map(([method, op]) => ({
    method: method.toUpperCase(),
    path,
    // No security, or `{}` among the alternatives: callable without credentials.
    open: (op.security ?? []).length === 0 || (op.security ?? []).some((r) => typeof r === 'object' && r !== null && Object.keys(r).length === 0),
  })),
);
const keyOf = (op: Operation): string => `${op.method} ${/^\/tools\/[^/{}]+\/execute$/.test(op.path) ? '/tools/*/execute' : op.path}`;

describe('the OpenAPI document', () => {
  it('lists every operation in the scope table, and only /livez and the reference without security', () => {
    expect(operations.length).toBeGreaterThan(10);
    expect(operations.map(keyOf).filter((k) => !(k in REQUIRED))).toEqual([]);
    expect(
      operations
        .filter((op) => op.open)
        .map(keyOf)
        .sort(),
    ).toEqual(['GET /docs', 'GET /livez', 'GET /openapi.json']);
    expect(
      Object.entries(REQUIRED)
        .filter(([, scope]) => scope === null)
        .map(([k]) => k)
        .sort(),
    ).toEqual(['GET /docs', 'GET /livez', 'GET /openapi.json']);
  });
});

const cases = operations
  .filter((op) => op.path !== '/mcp')
  .flatMap((op) => Object.keys(CALLERS).map((caller) => ({ op, caller, name: `${op.method} ${op.path} as ${caller}` })));

describe('auth matrix', () => {
  it.each(cases)('$name', async ({ op, caller }) => {
    const required = REQUIRED[keyOf(op)];
    if (required === undefined) return; // reported by the document test above
    const t = makeTestApp({ MCP_QUEUE_WAIT_SEC: '3600' });
    try {
      // A job of the client's, for {id}; {name} is a tool that exists.
      const created = await t.call('POST', '/tools/ping/execute?async=true', TOKENS.client, { target: '10.0.0.1' });
      const { jobId } = (await created.json()) as { jobId: string };
      const path = op.path.replace('{id}', jobId).replace('{name}', 'traceroute') + (/\/execute$/.test(op.path) ? '?async=true' : '');
      const { token, scopes } = CALLERS[caller] ?? { token: undefined, scopes: [] };
      const res = await t.call(op.method, path, token, bodyFor(op.method, op.path));
      const expected = required === null || scopes.includes(required) ? 'allowed' : scopes.length === 0 ? 401 : 403;
      if (expected === 'allowed') {
        await res.body?.cancel(); // SSE routes stream until cancelled
        // The handler answered (its own 200/202/404/409/503 are fine), past auth and past validation.
        expect([400, 401, 403]).not.toContain(res.status);
      } else {
        expect(res.status).toBe(expected);
        expect(await res.json()).toMatchObject({ error: { code: expected === 401 ? 'UNAUTHORIZED' : 'FORBIDDEN' } });
        if (expected === 401) expect(res.headers.get('www-authenticate')).toMatch(/^Bearer /);
      }
    } finally {
      t.jobs.close();
    }
  });
});
