/**
 * The API's bundle as scripts/build.mjs makes it for idle memory (issue 12, API ≤ 80 MB RSS; docs/design.md,
 * "Deployment"): V8 keeps the source of every file it loads in the heap while the API runs, so the entry and each
 * chunk it can load are ASCII (a one-byte string; one non-ASCII character, even in a comment, doubles it; the build
 * drops comments and indentation for that); and the MCP SDK, bundled into the /mcp chunk, is in none of the files an
 * idle API loads. dist/ is built by test/global-setup.ts.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DIST } from '../helpers/processes';

/** dist/api.mjs and the chunks it loads: at start only (static imports), or also on first use (import()). */
function apiFiles(withLazy: boolean): Map<string, string> {
  const files = new Map<string, string>();
  const imports = withLazy ? /"\.\.?\/(?:chunks\/)?(api-[\w-]+\.mjs)"/g : /from\s*"\.\.?\/(?:chunks\/)?(api-[\w-]+\.mjs)"/g;
  const visit = (file: string): void => {
    if (files.has(file)) return;
    const source = readFileSync(`${DIST}/${file}`, 'utf8');
    files.set(file, source);
    for (const m of source.matchAll(imports)) visit(`chunks/${m[1] ?? ''}`);
  };
  visit('api.mjs');
  return files;
}

/** A name only the MCP SDK defines (its JSON-RPC message schema; esbuild keeps names when it only drops whitespace). */
const SDK_MARK = 'JSONRPCMessageSchema';

describe('the API bundle', () => {
  it('has the MCP SDK in its /mcp chunk only: nothing loaded at start holds it', () => {
    const all = apiFiles(true);
    const mcpChunk = [...all.keys()].filter((f) => /^chunks\/api-open-session-\w+\.mjs$/.test(f));
    expect(mcpChunk).toHaveLength(1);
    expect(all.get(mcpChunk[0] ?? '')).toContain(SDK_MARK);
    const atStart = apiFiles(false);
    expect(atStart.has('api.mjs')).toBe(true);
    for (const [file, source] of atStart) expect(source.includes(SDK_MARK), file).toBe(false);
  });

  it.each([...apiFiles(true)])('%s is ASCII', (_file, source) => {
    expect(source.match(/[^\x00-\x7f]/g) ?? []).toEqual([]);
  });
});
