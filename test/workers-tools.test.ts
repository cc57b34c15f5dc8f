import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { bundleWorkerEntry } from './helpers/worker-bundle';
import { describe, expect, it } from 'vitest';
import { handleFetch } from '../functions/workers/fetch-handler';
import { toolDefinitions } from '../functions/tools/index';
import { ROOT } from './helpers/processes';

// Workers has no file system to load TOOLS_PACKAGE from: its entry serves the build-time tool list, whatever the
// bindings say (README, "Custom tools").
describe('the Workers entry and TOOLS_PACKAGE', () => {
  it('lists exactly the built-in tools even with TOOLS_PACKAGE set', async () => {
    const token = 'nd_workers_test_token_0123456789';
    const env = {
      MCP_TOKENS: JSON.stringify([{ id: 'reader', sha256: createHash('sha256').update(token).digest('hex'), scopes: ['tools:read'] }]),
      TOOLS_PACKAGE: 'examples/tools',
    };
    const res = await handleFetch(new Request('http://worker.test/tools', { headers: { authorization: `Bearer ${token}` } }), env);
    expect(res.status).toBe(200);
    const { tools } = (await res.json()) as { tools: Array<{ name: string }> };
    expect(tools.map((t) => t.name).sort()).toEqual(toolDefinitions.map((d) => d.name).sort());
  });

  it('never reads TOOLS_PACKAGE nor bundles the loader', async () => {
    for (const file of ['functions/worker.ts', 'functions/workers/fetch-handler.ts']) {
      expect(readFileSync(`${ROOT}${file}`, 'utf8')).not.toMatch(/env\[['"]TOOLS_PACKAGE|loadToolsPackage|tools-package/);
    }
    const code = await bundleWorkerEntry();
    expect(code).not.toMatch(/loadToolsPackage|tsx\/esm\/api|custom tools loaded/);
  });
});
