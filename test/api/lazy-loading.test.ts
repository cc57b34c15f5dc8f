import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectHttp } from '../mcp/helpers/http-client';
import { ROOT, type Running, type RunningApi, startApi, startRunner } from '../helpers/processes';
import { type TestTokens, makeTokens } from '../helpers/tokens';

// The real API process (dist/api.mjs, built in chunks) with a module hook that records every ES module it resolves:
// what an idle API does not need (the MCP SDK) is loaded on the first /mcp request, and what it defers still works
// on first use: /mcp, the Swagger UI files under /docs, /metrics (on by default). docs/design.md, "MCP".
let tokens: TestTokens;
let api: RunningApi;
let runner: Running;
let loaded: string;
const loadedSoFar = (): string[] => readFileSync(loaded, 'utf8').split('\n').filter(Boolean);
// The MCP SDK is bundled into the /mcp chunk (scripts/build.mjs), so the chunk's file is what shows it was loaded.
const mcpChunk = (urls: string[]): string[] => urls.filter((u) => /\/dist\/chunks\/api-open-session-[^/]+\.mjs$/.test(u));
const fromPackage = (urls: string[], name: string): string[] => urls.filter((u) => u.includes(`/node_modules/${name}/`));

beforeAll(async () => {
  tokens = makeTokens();
  loaded = join(tokens.dir, 'loaded.txt');
  api = await startApi(tokens, {
    MCP_ALLOW_LOOPBACK: 'true',
    NODE_OPTIONS: `--import ${pathToFileURL(`${ROOT}test/helpers/record-imports.mjs`).href}`,
    RECORD_IMPORTS_FILE: loaded,
  });
  runner = await startRunner(api, tokens, { MCP_ALLOW_LOOPBACK: 'true' });
});
afterAll(async () => {
  await runner?.stop();
  await api?.stop();
});

describe('the API loads what it defers on first use', () => {
  it('starts without the MCP SDK (the hook saw its own modules, so it works)', async () => {
    const res = await api.fetch(`${api.url}/tools`, { headers: { authorization: `Bearer ${tokens.client}` } });
    expect(res.status).toBe(200);
    const urls = loadedSoFar();
    expect(urls.some((u) => u.endsWith('/dist/api.mjs'))).toBe(true);
    expect(urls.some((u) => u.includes('/node_modules/hono/'))).toBe(true);
    expect(mcpChunk(urls)).toEqual([]);
  });

  it('answers a GET /mcp without a session with 400 and still without the SDK', async () => {
    const res = await api.fetch(`${api.url}/mcp`, { headers: { authorization: `Bearer ${tokens.client}`, accept: 'text/event-stream' } });
    expect(res.status).toBe(400);
    expect(mcpChunk(loadedSoFar())).toEqual([]);
  });

  it('serves MCP on the first /mcp session: initialize, tools/list and a tool call through the SDK Client', async () => {
    const http = await connectHttp(api.url, tokens.client);
    try {
      const { tools } = await http.client.listTools();
      expect(tools.map((t) => t.name)).toContain('ping');
      const result = await http.client.callTool({ name: 'ping', arguments: { target: '127.0.0.1', count: 1 } });
      expect(result.isError).toBeFalsy();
      expect(result.structuredContent).toMatchObject({ target: '127.0.0.1' });
    } finally {
      await http.close();
    }
    const urls = loadedSoFar();
    expect(mcpChunk(urls)).toHaveLength(1);
    // The SDK comes inside the chunk, without Ajv (functions/mcp/no-schema-validator.ts); zod is the API's own.
    expect(fromPackage(urls, '@modelcontextprotocol/sdk')).toEqual([]);
    expect(fromPackage(urls, 'ajv')).toEqual([]);
    expect(fromPackage(urls, 'zod').length).toBeGreaterThan(0);
  });

  it('serves the Swagger UI page and its files, byte for byte from swagger-ui-dist', async () => {
    const page = await api.fetch(`${api.url}/docs`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('swagger-ui-bundle.js');
    const dir = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
    for (const file of ['swagger-ui-bundle.js', 'swagger-ui.css']) {
      const res = await api.fetch(`${api.url}/docs/assets/${file}`);
      expect(res.status).toBe(200);
      expect(Buffer.from(await res.arrayBuffer()).equals(readFileSync(join(dir, file)))).toBe(true);
    }
  });

  it('keeps /metrics on by default, counting the calls above', async () => {
    const res = await api.fetch(`${api.url}/metrics`, { headers: { authorization: `Bearer ${tokens.admin}` } });
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/^mcp_tool_execution_total\{[^}]*tool="ping"[^}]*\} [1-9]/m);
  });
});
