import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../app';
import { createDeps } from '../create-deps';
import type { AppDeps } from '../deps';
import type { DocsAssets } from '../docs/assets';
import { DOCS_CSP } from '../docs/page';

const READER = 'reader-token-cccccccccccc';
const RUNNER = 'runner-token-bbbbbbbbbbbb';
const sha256 = (t: string): string => createHash('sha256').update(t).digest('hex');
const bytes = (s: string): Uint8Array<ArrayBuffer> => new Uint8Array(new TextEncoder().encode(s));
const FAKE_ASSETS: DocsAssets = { 'swagger-ui-bundle.js': bytes('/* bundle */'), 'swagger-ui.css': bytes('/* css */') };

let deps: AppDeps | undefined;
afterEach(() => deps?.jobs.close());

function app(docsAssets?: DocsAssets, env: Record<string, string> = {}): { get: (path: string, token?: string) => Promise<Response> } {
  deps = createDeps({
    env,
    version: 'test',
    tokens: [
      { id: 'reader', sha256: sha256(READER), scopes: ['tools:read'] },
      { id: 'runner', sha256: sha256(RUNNER), scopes: ['runner'] },
    ],
    ...(docsAssets ? { docsAssets } : {}),
  });
  const a = createApp(deps);
  return { get: async (path, token) => a.request(`http://localhost${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} }) };
}

const DOCS_PATHS = ['/docs', '/openapi.json', '/docs/assets/swagger-ui-bundle.js', '/docs/assets/docs-init.js'];

describe('docs routes are public by default', () => {
  it.each(DOCS_PATHS)('%s: 200 without a token, and with any token', async (path) => {
    const a = app(FAKE_ASSETS);
    expect((await a.get(path)).status).toBe(200);
    expect((await a.get(path, RUNNER)).status).toBe(200);
  });

  it('the document says so: no credentials or a bearer token for the docs, a bearer token for everything else', async () => {
    const doc = (await (await app().get('/openapi.json')).json()) as { paths: Record<string, { get?: { security?: unknown[] } }> };
    expect(doc.paths['/openapi.json']?.get?.security).toEqual([{}, { bearerAuth: [] }]);
    expect(doc.paths['/docs']?.get?.security).toEqual([{}, { bearerAuth: [] }]);
    expect(doc.paths['/tools']?.get?.security).toEqual([{ bearerAuth: [] }]);
  });
});

describe('MCP_DOCS_PUBLIC=false: docs routes need tools:read', () => {
  it.each(DOCS_PATHS)('%s: 401 without a token, 403 with a runner token, 200 with a reader token', async (path) => {
    const a = app(FAKE_ASSETS, { MCP_DOCS_PUBLIC: 'false' });
    const none = await a.get(path);
    expect(none.status).toBe(401);
    expect(((await none.json()) as { error: { code: string } }).error.code).toBe('UNAUTHORIZED');
    expect((await a.get(path, RUNNER)).status).toBe(403);
    expect((await a.get(path, READER)).status).toBe(200);
  });
});

describe('with the UI files (Node entry)', () => {
  it('serves the page with a self-only CSP and no inline script or style', async () => {
    const res = await app(FAKE_ASSETS).get('/docs', READER);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('content-security-policy')).toBe(DOCS_CSP);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const html = await res.text();
    expect(html).toContain('<div id="swagger-ui"></div>');
    expect(html).not.toMatch(/<script>|<style|style=|https?:\/\//);
    expect([...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1])).toEqual([
      'data:,',
      '/docs/assets/swagger-ui.css',
      '/docs/assets/swagger-ui-bundle.js',
      '/docs/assets/docs-init.js',
    ]);
  });

  it('CSP allows scripts, styles and fetches only from self', () => {
    const directives = new Map(DOCS_CSP.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)]));
    expect(directives.get('default-src')).toEqual(["'none'"]);
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('style-src')).toEqual(["'self'"]);
    expect(directives.get('connect-src')).toEqual(["'self'"]);
    expect(DOCS_CSP).not.toMatch(/unsafe|https?:|\*/);
  });

  it('serves the UI files with their types, and 404 for other names', async () => {
    const a = app(FAKE_ASSETS);
    const js = await a.get('/docs/assets/swagger-ui-bundle.js', READER);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await js.text()).toBe('/* bundle */');
    const css = await a.get('/docs/assets/swagger-ui.css', READER);
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(await css.text()).toBe('/* css */');
    const init = await (await a.get('/docs/assets/docs-init.js', READER)).text();
    expect(init).toContain('url: "/openapi.json"');
    expect(init).toContain('validatorUrl: null');
    // Calls from the page ("Try it out") carry the token given to "Authorize", kept in memory only.
    expect(init).toContain('persistAuthorization: false');
    expect(init).not.toContain('supportedSubmitMethods: []');
    for (const name of ['index.html', '..%2Fpackage.json', 'swagger-initializer.js']) {
      expect((await a.get(`/docs/assets/${name}`, READER)).status).toBe(404);
    }
  });
});

describe('without the UI files (an entry that supplies none)', () => {
  it('answers /docs and its files with a NOT_FOUND envelope that points to /openapi.json', async () => {
    const a = app();
    for (const path of ['/docs', '/docs/assets/swagger-ui-bundle.js']) {
      const res = await a.get(path, READER);
      expect(res.status).toBe(404);
      const { error } = (await res.json()) as { error: { code: string; message: string; recoverySuggestion: string } };
      expect(error.code).toBe('NOT_FOUND');
      expect(error.message).toMatch(/swagger-ui-dist/);
      expect(error.recoverySuggestion).toMatch(/\/openapi\.json/);
    }
  });

  it('still serves the live OpenAPI document, which describes /docs and itself', async () => {
    const res = await app().get('/openapi.json', READER);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { openapi: string; info: { version: string }; paths: Record<string, unknown> };
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info.version).toBe('test');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/docs', '/openapi.json', '/tools/ping/execute', '/runner/claim']));
    expect(Object.keys(doc.paths).some((p) => p.startsWith('/docs/assets'))).toBe(false);
  });
});
