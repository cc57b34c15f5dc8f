import { readFile, stat } from 'node:fs/promises';
import { isBuiltin } from 'node:module';
import { bundleWorkerEntry } from '../helpers/worker-bundle';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/processes';

// The shim ships as one file; the conformance fixtures ship nowhere. (global-setup built dist/ before this runs.)
describe('dist/shim.cjs', () => {
  it('is one file of at most 300 KB with a node shebang', async () => {
    const path = `${ROOT}dist/shim.cjs`;
    expect((await stat(path)).size).toBeLessThanOrEqual(300_000);
    expect((await readFile(path, 'utf8')).startsWith('#!/usr/bin/env node\n')).toBe(true);
  });

  it('requires nothing outside the bundle but Node built-ins', async () => {
    const code = await readFile(`${ROOT}dist/shim.cjs`, 'utf8');
    const required = [...code.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1] ?? '');
    expect(required.length).toBeGreaterThan(0);
    expect(required.filter((r) => !isBuiltin(r))).toEqual([]);
  });
});

describe('the MCP conformance fixtures', () => {
  it('are in no production bundle: not the API, not the shim, not the Workers entry', async () => {
    const workerCode = await bundleWorkerEntry();
    const bundles = [await readFile(`${ROOT}dist/api.mjs`, 'utf8'), await readFile(`${ROOT}dist/shim.cjs`, 'utf8'), workerCode];
    for (const code of bundles) {
      expect(code.length).toBeGreaterThan(10_000);
      expect(code).not.toMatch(/test_simple_text|test_tool_with_progress|MCP_CONFORMANCE_FIXTURES/);
    }
  });
});
