import { bundleWorkerEntry } from './helpers/worker-bundle';
import { describe, expect, it } from 'vitest';

describe('the API core is runtime-neutral', () => {
  it('bundles the Workers entry for a neutral platform with no node: built-ins', async () => {
    const code = await bundleWorkerEntry();
    expect(code.length).toBeGreaterThan(10_000);
    expect(code).not.toMatch(/from\s*["']node:|require\(["'](node:)?(fs|child_process|net|os|dns|crypto|http)["']\)/);
    expect(code).not.toMatch(/child_process|@opentelemetry\/sdk-node|pino/);
  });
});
