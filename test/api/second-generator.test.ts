import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/processes';

// A second, independent generator (oazapfts; the project's own client comes from openapi-typescript) turns the
// committed spec into a client that compiles under strict TypeScript: the spec does not lean on one generator.
describe('oazapfts on openapi/openapi.json', () => {
  const dir = mkdtempSync(join(tmpdir(), 'netdiag-oazapfts-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('generates a client with a function per operationId, and it compiles', () => {
    const out = join(dir, 'client.ts');
    execFileSync(process.execPath, [`${ROOT}node_modules/oazapfts/dist/cli.js`, `${ROOT}openapi/openapi.json`, out], { stdio: 'pipe', timeout: 60_000 });
    const code = readFileSync(out, 'utf8');
    const spec = JSON.parse(readFileSync(`${ROOT}openapi/openapi.json`, 'utf8')) as { paths: Record<string, Record<string, { operationId: string }>> };
    const camel = (id: string): string => id.replace(/_([a-z0-9])/gi, (_m, c: string) => c.toUpperCase());
    for (const methods of Object.values(spec.paths)) {
      for (const op of Object.values(methods)) expect(code, op.operationId).toMatch(new RegExp(`export function ${camel(op.operationId)}\\(`));
    }
    const program = ts.createProgram([out], {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
      skipLibCheck: true,
      types: [],
      // The generated file imports @oazapfts/runtime, which lives in this repository's node_modules.
      baseUrl: ROOT,
      paths: { '@oazapfts/runtime': ['node_modules/@oazapfts/runtime'], '@oazapfts/runtime/*': ['node_modules/@oazapfts/runtime/*'] },
    });
    const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    expect(diagnostics).toEqual([]);
  }, 120_000);
});
