/**
 * The API's bundle as scripts/build.mjs makes it for idle memory (issue 12, API ≤ 80 MB RSS; docs/design.md,
 * "Deployment"): V8 keeps the source of every file it loads in the heap while the API runs, so the entry and each
 * chunk it can load are ASCII (a one-byte string; one non-ASCII character, even in a comment, doubles it; the build
 * drops comments and indentation for that). dist/ is built by test/global-setup.ts.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DIST } from '../helpers/processes';

/** dist/api.mjs and every chunk it loads, statically or on first use (dist/chunks/ also keeps older builds' chunks). */
function apiFiles(): Map<string, string> {
  const files = new Map<string, string>();
  const visit = (file: string): void => {
    if (files.has(file)) return;
    const source = readFileSync(`${DIST}/${file}`, 'utf8');
    files.set(file, source);
    for (const m of source.matchAll(/"\.\.?\/(?:chunks\/)?(api-[\w-]+\.mjs)"/g)) visit(`chunks/${m[1] ?? ''}`);
  };
  visit('api.mjs');
  return files;
}

describe('the API bundle', () => {
  it('includes the /mcp chunk among the files it loads', () => {
    expect([...apiFiles().keys()].some((f) => /^chunks\/api-open-session-\w+\.mjs$/.test(f))).toBe(true);
  });

  it.each([...apiFiles()])('%s is ASCII', (_file, source) => {
    expect(source.match(/[^\x00-\x7f]/g) ?? []).toEqual([]);
  });
});
