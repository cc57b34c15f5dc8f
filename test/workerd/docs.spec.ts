// GET /docs on the Worker, inside workerd through the real entry (functions/worker.ts): the Swagger UI files come
// from the Data modules wrangler.toml's `[[rules]]` bundle (functions/workers/docs-assets.ts), byte for byte
// swagger-ui-dist's, and the page, its files and the spec need no token by default (MCP_DOCS_PUBLIC).
import { env } from 'cloudflare:workers';
import { describe, expect, inject, it } from 'vitest';
import worker from '../../functions/worker';
import type { WorkerBindings } from '../../functions/workers/runtime';

// Quiet: request lines (written with each answer on Workers) would only clutter the output.
const bindings: WorkerBindings = { ...(env as WorkerBindings), LOG_LEVEL: 'warn' };
const get = (path: string): Promise<Response> => Promise.resolve(worker.fetch(new Request(`http://worker.test${path}`), bindings));

async function sha256(res: Response): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', await res.arrayBuffer());
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

describe('the API reference page on Workers', () => {
  it('serves /docs without a token, with its Content-Security-Policy', async () => {
    const res = await get('/docs');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('content-security-policy')).toMatch(/script-src 'self';/);
    expect(await res.text()).toContain('/docs/assets/swagger-ui-bundle.js');
  });

  it('serves both Swagger UI files exactly as swagger-ui-dist has them, every time', async () => {
    const expected = inject('swaggerUiSha256');
    for (const [file, type] of [
      ['swagger-ui-bundle.js', /^text\/javascript/],
      ['swagger-ui.css', /^text\/css/],
    ] as const) {
      for (let i = 0; i < 2; i += 1) {
        const res = await get(`/docs/assets/${file}`);
        expect(res.status, file).toBe(200);
        expect(res.headers.get('content-type')).toMatch(type);
        expect(await sha256(res), file).toBe(expected[file]);
      }
    }
    expect((await get('/docs/assets/docs-init.js')).status).toBe(200);
    expect((await get('/docs/assets/index.html')).status).toBe(404);
  });

  it('serves /openapi.json without a token', async () => {
    const res = await get('/openapi.json');
    expect(res.status).toBe(200);
    expect(((await res.json()) as { openapi: string }).openapi).toMatch(/^3\.1/);
  });
});
