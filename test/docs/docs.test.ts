import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, type Page, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningApi, closedPort, startApi } from '../helpers/processes';
import { type TestTokens, makeTokens } from '../helpers/tokens';

// GET /docs for real: the built API on loopback, Swagger UI from swagger-ui-dist, Debian's Chromium headless.
// Chromium may load pages from 127.0.0.1 only: it runs with everything that calls Google's hosts switched off,
// a fresh profile, host resolution off for every other name, and a route guard that aborts any other origin.

const CHROMIUM = '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) console.warn(`test/docs: ${CHROMIUM} not found, skipping the browser tests (apt-get install chromium; .ci/run does).`);

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
];

/** Routes every page must show: the tool execute routes and the runner protocol. */
const MUST_LIST = ['/tools/ping/execute', '/tools/nmap/execute', '/runner/claim', '/runner/jobs/{id}/heartbeat', '/runner/jobs/{id}/complete'];

let tokens: TestTokens;
let api: RunningApi;

beforeAll(async () => {
  tokens = makeTokens();
  api = await startApi(tokens);
});
afterAll(async () => {
  await api?.stop();
  if (tokens) rmSync(tokens.dir, { recursive: true, force: true });
});

const get = (path: string, token?: string): Promise<Response> => fetch(`${api.url}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

describe('GET /docs over HTTP', () => {
  it('serves the page, its files and the spec without a token by default; everything else stays gated', async () => {
    for (const path of ['/docs', '/docs/assets/swagger-ui-bundle.js', '/openapi.json']) expect((await get(path)).status, path).toBe(200);
    expect((await get('/tools')).status).toBe(401);
  });

  it('answers 401 without a token with MCP_DOCS_PUBLIC=false', async () => {
    const gated = await startApi(tokens, { MCP_DOCS_PUBLIC: 'false' });
    try {
      for (const path of ['/docs', '/docs/assets/swagger-ui-bundle.js', '/openapi.json']) {
        const res = await fetch(`${gated.url}${path}`);
        expect(res.status, path).toBe(401);
        expect(((await res.json()) as { error: { code: string } }).error.code).toBe('UNAUTHORIZED');
      }
      expect((await fetch(`${gated.url}/docs`, { headers: { authorization: `Bearer ${tokens.reader}` } })).status).toBe(200);
    } finally {
      await gated.stop();
    }
  });

  it('serves the page and the Swagger UI bundle from the installed package', async () => {
    const page = await get('/docs');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toMatch(/script-src 'self';/);
    const bundle = await get('/docs/assets/swagger-ui-bundle.js', tokens.reader);
    expect(bundle.status).toBe(200);
    expect((await bundle.arrayBuffer()).byteLength).toBeGreaterThan(500_000);
  });
});

describe.skipIf(!haveChromium)('GET /docs in headless Chromium', () => {
  let profile: string;
  let context: BrowserContext;
  let page: Page;
  const requested: string[] = [];
  const blocked: string[] = [];
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    profile = mkdtempSync(join(tmpdir(), 'netdiag-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      // No token: the page must render from what anyone may read.
      serviceWorkers: 'block',
    });
    const origin = new URL(api.url).origin;
    await context.route('**/*', async (route) => {
      if (new URL(route.request().url()).origin === origin) return route.continue();
      blocked.push(route.request().url());
      return route.abort('blockedbyclient');
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('request', (r) => requested.push(r.url()));
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => consoleErrors.push(e.message));
  }, 60_000);
  afterAll(async () => {
    await context?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  it('renders Swagger UI from the spec without a token and lists the tool and runner routes', async () => {
    const res = await page.goto(`${api.url}/docs`);
    expect(res?.status()).toBe(200);
    await page.waitForSelector('.opblock-summary-path[data-path="/tools/ping/execute"]', { timeout: 20_000 });
    const rendered = await page.$$eval('.opblock-summary-path', (els) =>
      els.map((e) => ({ path: e.getAttribute('data-path'), text: (e.textContent ?? '').replace(/[\u200b\s]/g, '') })),
    );
    const paths = rendered.map((r) => r.path);
    for (const p of MUST_LIST) expect(paths).toContain(p);
    for (const r of rendered) expect(r.text).toBe(r.path);
    // Every operation of the live spec is on the page, nothing more.
    const spec = (await (await get('/openapi.json', tokens.reader)).json()) as { paths: Record<string, Record<string, unknown>> };
    const operations = Object.entries(spec.paths).flatMap(([p, ops]) => Object.keys(ops).map(() => p));
    expect([...paths].sort()).toEqual([...operations].sort());
    // An opened operation shows its request body.
    await page.click('.opblock-summary-path[data-path="/tools/ping/execute"]');
    // Swagger UI inserts the opened block first and fills it on a later render: wait for its text, not the element.
    const body = page.locator('.opblock-body').first();
    await body
      .getByText('Request body')
      .first()
      .waitFor({ timeout: 10_000 })
      .catch(() => undefined);
    expect(await body.textContent()).toMatch(/Request body/);
  });

  it('"Authorize" with a token, then "Try it out" on GET /tools, runs the call with that token', async () => {
    await page.click('.btn.authorize');
    await page.fill('.auth-container input[type="text"]', tokens.reader);
    await page.click('.auth-btn-wrapper .btn.modal-btn.auth.authorize');
    await page.click('.auth-btn-wrapper .btn-done');
    const op = page.locator('#operations-tools-list_tools');
    await op.locator('.opblock-summary').click();
    await op.locator('.try-out__btn').click();
    const sent = page.waitForRequest((r) => new URL(r.url()).pathname === '/tools' && r.method() === 'GET');
    await op.locator('.btn.execute').click();
    expect((await sent).headers()['authorization']).toBe(`Bearer ${tokens.reader}`);
    await op.locator('.live-responses-table tbody .response-col_status').first().waitFor({ timeout: 10_000 });
    expect((await op.locator('.live-responses-table tbody .response-col_status').first().textContent())?.trim()).toBe('200');
    expect(await op.locator('.live-responses-table tbody .microlight, .live-responses-table tbody pre').first().textContent()).toMatch(/"name":\s*"ping"/);
  });

  it('loaded everything from the API origin, the spec included, without CSP violations or script errors', () => {
    const origin = new URL(api.url).origin;
    expect(blocked).toEqual([]);
    expect(requested.filter((u) => !u.startsWith(`${origin}/`) && !u.startsWith('data:'))).toEqual([]);
    expect(requested).toEqual(
      expect.arrayContaining([
        `${origin}/docs`,
        `${origin}/docs/assets/swagger-ui-bundle.js`,
        `${origin}/docs/assets/swagger-ui.css`,
        `${origin}/docs/assets/docs-init.js`,
        `${origin}/openapi.json`,
      ]),
    );
    expect(consoleErrors).toEqual([]);
  });

  it('enforces the CSP in the browser: no inline script, no fetch to another origin', async () => {
    const otherOrigin = `http://127.0.0.1:${await closedPort()}/`;
    const outcome = await page.evaluate(async (url) => {
      const violations: string[] = [];
      document.addEventListener('securitypolicyviolation', (e) => violations.push(e.effectiveDirective));
      const script = document.createElement('script');
      script.textContent = 'window.__inlineRan = true;';
      document.body.appendChild(script);
      const fetched = await fetch(url).then(
        () => 'loaded',
        () => 'refused',
      );
      await new Promise((r) => setTimeout(r, 100));
      return { inlineRan: (window as { __inlineRan?: boolean }).__inlineRan === true, fetched, violations };
    }, otherOrigin);
    expect(outcome.inlineRan).toBe(false);
    expect(outcome.fetched).toBe('refused');
    expect(outcome.violations).toEqual(expect.arrayContaining(['script-src-elem', 'connect-src']));
    expect(blocked).toEqual([]);
  });
});
