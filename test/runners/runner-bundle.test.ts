/**
 * The runner's bundle as scripts/build.mjs makes it for idle memory (issue 12, runner ≤ 70 MB RSS; docs/design.md,
 * "Deployment"): its CommonJS dependencies load through require (scripts/require-externals.mjs), never through Node's
 * ESM-to-CommonJS translator, whose cjs-module-lexer scan keeps several MB of RSS; its source is ASCII, so the heap
 * keeps it as a one-byte string; its zod has its English messages only. dist/ is built by test/global-setup.ts.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DIST } from '../helpers/processes';

/** Preloaded: when the process exits, what it loaded by then (Node's internal modules, the CommonJS cache). */
const REPORT_LOADED = `data:text/javascript,${encodeURIComponent(
  `import Module from 'node:module';
  process.on('exit', () => process.stdout.write(JSON.stringify({
    natives: process.moduleLoadList,
    cjs: Object.keys(Module._cache),
  })));`,
)}`;

/** Start a bundle without its settings: every module is loaded and evaluated, then it stops with exit 78. */
function loadedBy(script: string): { status: number | null; stderr: string; natives: string[]; cjs: string[] } {
  const run = spawnSync(process.execPath, ['--import', REPORT_LOADED, `${DIST}/${script}`], {
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin' },
    encoding: 'utf8',
    timeout: 20_000,
  });
  const loaded = JSON.parse(run.stdout) as { natives: string[]; cjs: string[] };
  return { status: run.status, stderr: run.stderr, ...loaded };
}

/** The packages a bundle imports statically (a CommonJS package imported so would bring the lexer back). */
function staticImports(script: string): string[] {
  const source = readFileSync(`${DIST}/${script}`, 'utf8');
  const specifiers = [...source.matchAll(/(?:^|[;}])\s*import\s*[\w$\s{},*]*?from\s*"([^"]+)"/gm)].map((m) => m[1] ?? '');
  return specifiers.filter((s) => !s.startsWith('.')); // its own chunks
}

describe('the runner bundle', () => {
  it('loads its CommonJS dependencies through require, and never the ESM loader’s CommonJS lexer', () => {
    const run = loadedBy('runner.mjs');
    expect(run.status).toBe(78);
    expect(run.stderr).toMatch(/configuration error: NETDIAG_API_URL/);
    for (const pkg of ['pino', 'ws', 'cockatiel', 'ipaddr.js', '@opentelemetry/api'])
      expect(run.cjs.some((file) => file.includes(`/node_modules/${pkg}/`))).toBe(true);
    expect(run.natives.filter((m) => m.includes('cjs-module-lexer'))).toEqual([]);
  });

  it('imports nothing but node: built-ins statically (a CommonJS package imported so would bring the lexer back)', () => {
    const specifiers = staticImports('runner.mjs');
    expect(specifiers.length).toBeGreaterThan(10);
    // A new CommonJS dependency: add it to RUNNER_CJS_PACKAGES in scripts/build.mjs.
    expect(specifiers.filter((s) => !s.startsWith('node:'))).toEqual([]);
  });

  it('is ASCII: one non-ASCII character would make the whole source a two-byte string in the heap', () => {
    const source = readFileSync(`${DIST}/runner.mjs`, 'utf8');
    expect(source.match(/[^\x00-\x7f]/g) ?? []).toEqual([]);
  });

  it('keeps zod’s English messages (its default) and no other language’s (scripts/zod-english-only.mjs)', () => {
    const source = readFileSync(`${DIST}/runner.mjs`, 'utf8');
    expect(source).toContain('Invalid input: expected ${');
    expect(source).not.toMatch(/Ung(?:ü|\\xFC|\\u00FC)ltige Eingabe/i); // locales/de.js
  });
});
