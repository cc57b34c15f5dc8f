import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers/processes';

describe('the API core is runtime-neutral', () => {
  it('bundles the Workers entry for a neutral platform with no node: built-ins', async () => {
    const out = await build({
      entryPoints: [`${ROOT}functions/worker.ts`],
      bundle: true,
      platform: 'neutral',
      format: 'esm',
      mainFields: ['module', 'main'],
      conditions: ['workerd', 'worker', 'import'],
      write: false,
      logLevel: 'silent',
    });
    const code = out.outputFiles[0]?.text ?? '';
    expect(code.length).toBeGreaterThan(10_000);
    expect(code).not.toMatch(/from\s*["']node:|require\(["'](node:)?(fs|child_process|net|os|dns|crypto|http)["']\)/);
    expect(code).not.toMatch(/child_process|@opentelemetry\/sdk-node|pino/);
  });
});
