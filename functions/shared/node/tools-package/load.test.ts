import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDeps } from '../../../src/create-deps';
import { ConfigError } from '../../config/env-schema';
import type { Logger } from '../../logger';
import { loadToolsPackage } from './load';
import { skipReason } from './locate';

const ROOT = new URL('../../../../', import.meta.url).pathname;
const BUILTIN = ['ping', 'traceroute', 'nmap'];

/** A logger that keeps every line, for assertions on what an operator would read. */
function recordingLogger(): Logger & { lines: Array<{ level: string; fields: Record<string, unknown>; msg: string }> } {
  const lines: Array<{ level: string; fields: Record<string, unknown>; msg: string }> = [];
  const at =
    (level: string) =>
    (fields: object, msg = '') =>
      void lines.push({ level, fields: fields as Record<string, unknown>, msg });
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

const definition = (
  name: string,
  policy = "binary: null, debianPackage: null, targetField: 'target', allowCidr: false, defaultTimeoutSec: 5, maxTimeoutSec: 10",
): string => `
import { z } from 'zod';
export const tool = {
  name: ${JSON.stringify(name)}, title: 'T', description: 'A test tool.',
  params: z.object({ target: z.string().describe('where') }), result: z.object({ ok: z.boolean() }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  policy: { ${policy} },
  render: (r) => JSON.stringify(r),
};
`;
const nativeExecutor =
  "import { tool } from './definition.mjs';\nexport const executor = { kind: 'native', definition: tool, run: async () => ({ ok: true, result: { ok: true } }) };\n";
const binaryPolicy = "binary: 'fakebin', debianPackage: null, targetField: 'target', allowCidr: false, defaultTimeoutSec: 5, maxTimeoutSec: 10";

let pkg: string;
const write = (path: string, text: string): void => {
  mkdirSync(join(pkg, path, '..'), { recursive: true });
  writeFileSync(join(pkg, path), text);
};

beforeAll(() => {
  pkg = mkdtempSync(join(tmpdir(), 'netdiag-tools-pkg-'));
  // ESM like any tools package, with the project's node_modules so `zod` and `tsx` resolve as they would in a checkout.
  write('package.json', '{ "type": "module" }');
  symlinkSync(join(ROOT, 'node_modules'), join(pkg, 'node_modules'));
  write('good_one/definition.mjs', definition('good_one'));
  write('good_one/executor.mjs', nativeExecutor);
  write('good_one/health.mjs', "export const healthChecks = [{ name: 'alive', priority: 5, run: async () => ({ status: 'healthy', message: 'ok' }) }];\n");
  write('bin_tool/definition.mjs', definition('bin_tool', binaryPolicy));
  write(
    'bin_tool/executor.mjs',
    "import { tool } from './definition.mjs';\nexport const executor = { kind: 'binary', definition: tool, flags: ['-n', '--'], argv: (p, t) => ['-n', '--', t.address], parse: () => ({ ok: true, result: { ok: true } }) };\n",
  );
  write('no_flags/definition.mjs', definition('no_flags', binaryPolicy));
  write(
    'no_flags/executor.mjs',
    "import { tool } from './definition.mjs';\nexport const executor = { kind: 'binary', definition: tool, argv: () => [], parse: () => ({ ok: true, result: { ok: true } }) };\n",
  );
  write('throws/definition.mjs', "throw new Error('boom at import');\n");
  write('bad_name/definition.mjs', definition('Bad-Name'));
  write('clash/definition.mjs', definition('ping'));
  write('empty/README.md', 'no modules here\n');
  write('dup_a/definition.mjs', definition('dup'));
  write('dup_a/executor.mjs', nativeExecutor);
  write('dup_b/definition.mjs', definition('dup'));
  write('dup_b/executor.mjs', nativeExecutor);
  // Not tools by the naming rule: they would all fail if anything tried to load them.
  for (const f of ['MockThing', 'TestHelper', 'AbstractTool', 'ExampleTool', '_private', 'ThingBase', 'ThingMixin', 'ThingInterface'])
    write(`${f}/definition.mjs`, "throw new Error('must not be loaded');\n");
  // The rule is case-sensitive: this one is a tool.
  write('exampleLower/definition.mjs', definition('example_lower'));
  write('exampleLower/executor.mjs', nativeExecutor);
  // TypeScript through tsx, with the kernel's own defineTool/defineExecutor.
  write(
    'ts_tool/definition.ts',
    `import { z } from 'zod';
import { defineTool } from '${ROOT}functions/shared/tool/definition';
export const tool = defineTool({ name: 'ts_tool', title: 'TS', description: 'Typed.', params: z.object({ target: z.string() }), result: z.object({ ok: z.boolean() }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  policy: { binary: null, debianPackage: null, targetField: 'target', allowCidr: false, defaultTimeoutSec: 5, maxTimeoutSec: 10 }, render: () => 'ok' });
`,
  );
  write(
    'ts_tool/executor.ts',
    `import { defineExecutor } from '${ROOT}functions/shared/tool/executor';
import { tool } from './definition';
export const executor = defineExecutor(tool, { kind: 'native', run: async () => ({ ok: true, result: { ok: true } }) });
`,
  );
});

afterAll(() => rmSync(pkg, { recursive: true, force: true }));

describe('the naming rule', () => {
  it.each(['TestX', 'MockX', 'AbstractX', 'ExampleX', '_x', 'XBase', 'XMixin', 'XInterface', 'node_modules', '.git'])('skips %s', (name) => {
    expect(skipReason(name)).toBeDefined();
  });
  it.each(['ping_plus', 'tcp-connect', 'exampleLower', 'testing', 'base', 'mixins'])('loads %s (case-sensitive)', (name) => {
    expect(skipReason(name)).toBeUndefined();
  });
});

describe('loadToolsPackage', () => {
  it('runner side: loads definitions and executors, skips broken folders with one error line naming the file', async () => {
    const log = recordingLogger();
    const tools = await loadToolsPackage(pkg, { side: 'runner', reserved: BUILTIN, logger: log });
    expect(tools.map((t) => t.definition.name).sort()).toEqual(['bin_tool', 'dup', 'example_lower', 'good_one', 'ts_tool']);
    for (const t of tools) expect(t.executor?.definition).toBe(t.definition);
    const errors = log.lines.filter((l) => l.level === 'error');
    const reasonFor = (folder: string): string => {
      const found = errors.filter((e) => String(e.fields['file']).includes(`/${folder}`));
      expect(found, folder).toHaveLength(1);
      return String(found[0]?.fields['reason']);
    };
    expect(reasonFor('throws/definition.mjs')).toContain('boom at import');
    expect(reasonFor('bad_name/definition.mjs')).toMatch(/tool name "Bad-Name" must match/);
    expect(reasonFor('clash/definition.mjs')).toContain('"ping" is already taken by a built-in tool');
    expect(reasonFor('no_flags/executor.mjs')).toContain('must declare its flags');
    expect(reasonFor('empty')).toContain('has no definition.mjs, definition.js, definition.ts');
    expect(reasonFor('dup_b/definition.mjs')).toContain(`"dup" is already taken by ${join(pkg, 'dup_a')}`);
    expect(errors).toHaveLength(6);
    expect(errors[0]?.msg).toMatch(/^custom tool not loaded: \//);
    const summary = log.lines.find((l) => l.msg === 'custom tools loaded');
    expect(summary?.fields['skippedByName']).toHaveLength(8);
  });

  it('API side: loads definitions and health checks, never executors', async () => {
    const log = recordingLogger();
    const tools = await loadToolsPackage(pkg, { side: 'api', reserved: BUILTIN, logger: log });
    // no_flags is fine for the API: its executor is the runner's business.
    expect(tools.map((t) => t.definition.name).sort()).toEqual(['bin_tool', 'dup', 'example_lower', 'good_one', 'no_flags', 'ts_tool']);
    expect(tools.every((t) => t.executor === undefined)).toBe(true);
    const checks = tools.flatMap((t) => t.healthChecks);
    expect(checks.map((c) => [c.name, c.priority])).toEqual([['good_one.alive', 5]]);
    expect(await checks[0]?.run()).toEqual({ status: 'healthy', message: 'ok' });
  });

  it('joins the API registry, where TOOL_INCLUDE/TOOL_EXCLUDE apply as to built-ins', async () => {
    const tools = await loadToolsPackage(pkg, { side: 'api', reserved: BUILTIN, logger: recordingLogger() });
    const deps = createDeps({ env: { TOOL_EXCLUDE: 'good_*,ping' }, tokens: [], version: 'test', tools: tools.map((t) => t.definition) });
    expect(deps.registry.get('good_one')).toBeDefined();
    expect(deps.registry.isEnabled('good_one')).toBe(false);
    expect(deps.registry.isEnabled('ping')).toBe(false);
    expect(deps.registry.isEnabled('bin_tool')).toBe(true);
    expect(deps.registry.isEnabled('traceroute')).toBe(true);
    const included = createDeps({ env: { TOOL_INCLUDE: 'ts_*' }, tokens: [], version: 'test', tools: tools.map((t) => t.definition) });
    expect(included.registry.enabledTools().map((d) => d.name)).toEqual(['ts_tool']);
  });

  it('finds an installed npm package by name from the cwd', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'netdiag-tools-cwd-'));
    try {
      mkdirSync(join(cwd, 'node_modules', '@lab', 'tools', 'probe'), { recursive: true });
      writeFileSync(join(cwd, 'node_modules', '@lab', 'tools', 'package.json'), '{ "name": "@lab/tools", "type": "module" }');
      symlinkSync(join(ROOT, 'node_modules', 'zod'), join(cwd, 'node_modules', 'zod'));
      writeFileSync(join(cwd, 'node_modules', '@lab', 'tools', 'probe', 'definition.mjs'), definition('lab_probe'));
      const tools = await loadToolsPackage('@lab/tools', { side: 'api', reserved: BUILTIN, logger: recordingLogger(), cwd });
      expect(tools.map((t) => t.definition.name)).toEqual(['lab_probe']);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });

  it('stops start-up with a ConfigError when the package itself is missing; unset means no custom tools', async () => {
    const options = { side: 'api' as const, reserved: BUILTIN, logger: recordingLogger(), cwd: tmpdir() };
    await expect(loadToolsPackage('./no-such-dir', options)).rejects.toThrow(ConfigError);
    await expect(loadToolsPackage('no-such-package-netdiag', options)).rejects.toThrow(/TOOLS_PACKAGE: "no-such-package-netdiag" is neither/);
    expect(await loadToolsPackage(undefined, options)).toEqual([]);
    expect(await loadToolsPackage('  ', options)).toEqual([]);
  });
});
