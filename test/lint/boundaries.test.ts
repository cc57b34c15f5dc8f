import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// The import boundaries of docs/design.md, "Kernel and boundaries", are enforced by eslint.config.mjs. These plant
// imports in files that do not exist (lintText with a path) and check that the rule fires, or stays quiet.
const eslint = new ESLint({ cwd: process.cwd() });

async function ruleIds(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => m.ruleId ?? m.message);
}

const uses = (specifier: string): string => `import * as planted from '${specifier}';\nexport const keep = planted;\n`;

describe('import boundaries', () => {
  it.each([
    ['runner/src/planted.ts', '../../functions/src/app'],
    ['runner/src/planted.ts', '../../functions/node/tokens'],
    ['runner/src/sandbox/planted.ts', '../../../functions/src/config/settings'],
    ['shim/src/planted.ts', '../../functions/src/deps'],
    ['shim/src/planted.ts', '../../runner/src/config'],
    ['shim/src/planted.ts', '../../functions/tools/executors'],
    ['functions/shared/policy/planted.ts', '../../src/app'],
    ['functions/shared/policy/planted.ts', '../node/logger'],
    ['functions/tools/ping/planted.ts', '../../src/app'],
    ['functions/mcp/planted.ts', '../tools/ping/executor'],
    ['functions/src/routes/planted.ts', '../../tools/executors'],
    ['functions/src/routes/planted.ts', '../../../runner/src/config'],
    ['functions/src/jobs/planted.ts', '../../workers/broker-object'],
    ['functions/src/jobs/planted.ts', '../../worker'],
    ['functions/workers/planted.ts', '../tools/executors'],
    ['runner/src/planted.ts', '../../functions/workers/durable-job-store'],
  ])('%s may not import %s', async (file, specifier) => {
    expect(await ruleIds(file, uses(specifier))).toContain('import-x/no-restricted-paths');
  });

  it.each([
    ['runner/src/planted.ts', '../../functions/shared/policy/target-policy'],
    ['runner/src/planted.ts', '../../functions/tools/executors'],
    ['shim/src/planted.ts', '../../functions/mcp/server-factory'],
    ['functions/src/routes/planted.ts', '../../tools/index'],
    ['functions/tools/ping/planted.ts', '../../shared/tool/definition'],
    ['functions/workers/planted.ts', '../src/jobs/memory-store'],
  ])('%s may import %s', async (file, specifier) => {
    expect(await ruleIds(file, uses(specifier))).not.toContain('import-x/no-restricted-paths');
  });

  it('keeps console out of the shim, whose stdout is the protocol', async () => {
    expect(await ruleIds('shim/src/planted.ts', "console.log('hello');\n")).toContain('no-console');
  });
});
