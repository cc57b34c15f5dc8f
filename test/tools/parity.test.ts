import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { builtinExecutors } from '../../functions/tools/executors';
import { builtinTools } from '../../functions/tools/index';
import { builtinRenderers } from '../../functions/tools/renderers';

// Everything about a tool lives in its folder (docs/CONTRIBUTING.md, "Add a tool"); this fails when a built-in
// tool lacks a piece, or a folder holds a tool nobody registered.
const TOOLS_DIR = join(process.cwd(), 'functions/tools');
const NOT_TOOLS = new Set(['common']);
const folders = readdirSync(TOOLS_DIR, { withFileTypes: true })
  .filter((d) => d.isDirectory() && !NOT_TOOLS.has(d.name))
  .map((d) => d.name);
const folderOf = (name: string): string => name.replace(/_/g, '-');

describe('every tool folder is a registered tool, and every registered tool has a folder', () => {
  it('lists the same tools', () => {
    expect(builtinTools.map((t) => folderOf(t.name)).sort()).toEqual([...folders].sort());
  });
});

describe.each(builtinTools.map((t) => [t.name, t] as const))('%s', (name, tool) => {
  const dir = join(TOOLS_DIR, folderOf(name));

  it('has its definition, renderer, executor and tests in its folder', () => {
    for (const file of ['definition.ts', 'render.ts', 'executor.ts']) expect(existsSync(join(dir, file)), `${name}: ${file}`).toBe(true);
    expect(
      readdirSync(dir).some((f) => f.endsWith('.test.ts')),
      `${name}: no test file`,
    ).toBe(true);
  });

  it('has an executor for exactly this definition', () => {
    expect(builtinExecutors[name].definition).toBe(tool);
  });

  it('renders with the same function the shim bundles', () => {
    expect(builtinRenderers[name]).toBe(tool.render);
  });

  it('states all four annotations', () => {
    for (const hint of ['readOnlyHint', 'destructiveHint', 'idempotentHint', 'openWorldHint'] as const) expect(typeof tool.annotations[hint]).toBe('boolean');
  });

  it('declares its binary, package and flags, or is native', () => {
    const executor = builtinExecutors[name];
    if (executor.kind === 'binary') {
      expect(tool.policy.binary).toMatch(/^[a-z][a-z0-9._-]*$/);
      expect(tool.policy.debianPackage).toBeTruthy();
      expect(executor.flags.length).toBeGreaterThan(0);
    } else {
      expect(tool.policy.binary).toBeNull();
    }
  });

  it('renders any JSON object to text without throwing (results arrive over the wire)', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...Object.keys(tool.result.shape), 'other'), fc.jsonValue()), (value) => {
        expect(typeof tool.render(value)).toBe('string');
      }),
      { numRuns: 200 },
    );
  });

  it('renders a result whose every field is an object that cannot become text (found by the property above)', () => {
    const hostile = () => JSON.parse('{"toString":false,"valueOf":false}') as unknown;
    const value = Object.fromEntries(Object.keys(tool.result.shape).map((key) => [key, hostile()]));
    expect(typeof tool.render(value)).toBe('string');
  });
});
