import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/processes';

const run = promisify(execFile);

const baseline = async (file: string): Promise<string[]> =>
  (await readFile(`${ROOT}scripts/${file}`, 'utf8'))
    .split('\n')
    .map((l) => /^\s*-\s*(\S+)/.exec(l)?.[1])
    .filter((s): s is string => s !== undefined);

describe('MCP conformance (npm run conformance)', () => {
  it('the /mcp baseline is empty: every scenario applies and passes, resources, prompts and completion included', async () => {
    expect(await baseline('conformance.expected-failures.yml')).toEqual([]);
  });

  it("the shim baseline names only the bridge's DNS-rebinding scenario", async () => {
    expect(await baseline('conformance.expected-failures.shim.yml')).toEqual(['dns-rebinding-protection']);
  });

  it('passes every other scenario on /mcp and on the stdio shim behind supergateway', async () => {
    const outcome = await run(process.execPath, ['--import', 'tsx', 'scripts/conformance.ts'], {
      cwd: ROOT,
      timeout: 170_000,
      maxBuffer: 16 * 1024 * 1024,
    }).then(
      (r) => ({ code: 0, out: r.stdout }),
      (e: { code?: number; stdout?: string; stderr?: string }) => ({ code: e.code ?? 1, out: `${e.stdout ?? ''}\n${e.stderr ?? ''}` }),
    );
    expect(outcome.out).toMatch(/=== \/mcp in the API: as expected/);
    expect(outcome.out).toMatch(/=== stdio shim behind supergateway: as expected/);
    const scenarios = [
      'tools-call-with-progress',
      'tools-call-with-logging',
      'tools-call-error',
      'dns-rebinding-protection',
      'resources-subscribe',
      'prompts-get-with-args',
      'completion-complete',
    ];
    for (const scenario of scenarios) {
      expect(outcome.out).toContain(`✓ ${scenario}:`);
    }
    expect(outcome.code).toBe(0);
  }, 180_000);
});
