import { afterEach, describe, expect, it } from 'vitest';
import { TOKENS, makeTestApp } from '../../../test/helpers/app';

type TestApp = ReturnType<typeof makeTestApp>;
let t: TestApp;
afterEach(() => t.jobs.close());

describe('GET /', () => {
  it('needs tools:read (only /livez is open)', async () => {
    t = makeTestApp();
    expect((await t.call('GET', '/')).status).toBe(401);
    expect((await t.call('GET', '/', TOKENS.runner)).status).toBe(403);
    expect((await t.call('GET', '/livez')).status).toBe(200);
  });

  it('names the service, its version, the protocol versions and the main endpoints', async () => {
    t = makeTestApp();
    const res = await t.call('GET', '/', TOKENS.reader);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { links: Record<string, string>; endpoints: Array<{ method: string; path: string }> };
    expect(body).toMatchObject({
      name: 'netdiag-mcp',
      version: 'test',
      protocols: { mcp: '2025-11-25', openapi: '3.1.0' },
      links: {
        self: '/',
        livez: '/livez',
        health: '/health',
        tools: '/tools',
        execute: '/tools/{name}/execute',
        jobs: '/jobs',
        config: '/config',
        openapi: '/openapi.json',
      },
    });
    const documented = body.endpoints.map((e) => `${e.method} ${e.path}`);
    expect(documented).toEqual(expect.arrayContaining(['GET /', 'GET /livez', 'GET /tools', 'POST /tools/ping/execute', 'GET /config', 'POST /runner/claim']));
    // Every link (bar the {name} template) is a documented GET endpoint.
    for (const [name, path] of Object.entries(body.links)) {
      if (name !== 'execute' && name !== 'docs') expect(documented).toContain(`GET ${path}`);
    }
  });
});
