import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, type Running, type RunningApi, startApi, startRunner } from '../helpers/processes';
import { type TestTokens, makeTokens } from '../helpers/tokens';

// openapi/sdk/README.md is the SDK's documentation: every ```ts block is type-checked (strict), and every block
// not marked no-run is run against a live API and runner on 127.0.0.1, so the examples cannot rot.

const README = readFileSync(`${ROOT}openapi/sdk/README.md`, 'utf8');
const blocks = [...README.matchAll(/```ts( no-run)?\n([\s\S]*?)```/g)].map((m, i) => ({
  index: i,
  // The section the example is in, for the test's name.
  name: [...README.slice(0, m.index).matchAll(/^## (.+)$/gm)].pop()?.[1] ?? `example ${i}`,
  run: m[1] === undefined,
  code: m[2] ?? '',
}));
const SDK = {
  '@netdiag/client': `${ROOT}openapi/sdk/src/index.ts`,
  '@netdiag/client/node': `${ROOT}openapi/sdk/src/node.ts`,
  '@netdiag/client/runner': `${ROOT}openapi/sdk/src/runner.ts`,
};
const resolveImports = (code: string): string =>
  code.replace(/from '(@netdiag\/client(?:\/node|\/runner)?)'/g, (_m, name: keyof typeof SDK) => `from '${SDK[name]}'`);

/** What each run example must print, in README order (the no-run block is skipped). */
const EXPECTED: RegExp[] = [
  /^2\/2 replies, 0% loss, \d+ ms$/m,
  /^ping: available$/m,
  /^state: (queued|running)$[\s\S]*^job\.succeeded$[\s\S]*^finished: succeeded$/m,
  /^finished: cancelled$/m,
  /^(400|403) FORBIDDEN_TARGET: .+ \(.+\)$/m,
  /^recent jobs: \d+$[\s\S]*^loopback allowed: true$[\s\S]*^following service events$/m,
  // The runner protocol: no job is queued by then (the examples before it waited for theirs), and a heartbeat of an
  // unknown job is refused with the API's typed error.
  /^registered; silent for \d+ ms counts as gone\nno job waiting; claim again in \d+ ms\nheartbeat refused: 404 NOT_FOUND, retry after \(no hint\) ms\n$/,
];

describe('openapi/sdk/README.md', () => {
  const dir = mkdtempSync(join(tmpdir(), 'netdiag-sdk-readme-'));
  let tokens: TestTokens;
  let api: RunningApi;
  let runner: Running | undefined;

  beforeAll(async () => {
    tokens = makeTokens();
    api = await startApi(tokens, { MCP_ALLOW_LOOPBACK: 'true', MCP_QUEUE_WAIT_SEC: '5' });
    runner = await startRunner(api, tokens, { MCP_ALLOW_LOOPBACK: 'true' });
  }, 30_000);
  afterAll(async () => {
    await runner?.stop();
    await api?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('has an example for each part: tool call, list, job events, cancel, errors, jobs/policy/events, runner protocol, lab CA', () => {
    expect(blocks.length).toBe(8);
    expect(blocks.filter((b) => b.run).length).toBe(EXPECTED.length);
  });

  it('type-checks every example under strict TypeScript', () => {
    const files = blocks.map((b) => {
      const file = join(dir, `check-${b.index}.mts`);
      writeFileSync(file, `${resolveImports(b.code)}\nexport {};\n`);
      return file;
    });
    const program = ts.createProgram(files, {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      allowImportingTsExtensions: true,
      resolveJsonModule: true,
      skipLibCheck: true,
      typeRoots: [`${ROOT}node_modules/@types`],
      types: ['node'],
    });
    const problems = ts.getPreEmitDiagnostics(program).map((d) => `${d.file?.fileName ?? ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
    expect(problems).toEqual([]);
  }, 60_000);

  it.each(blocks.filter((b) => b.run).map((b, i) => ({ ...b, expected: EXPECTED[i] ?? /^$/ })))(
    '$name: the example runs against the live API',
    async ({ index, code, expected }) => {
      const file = join(dir, `run-${index}.mts`);
      writeFileSync(file, resolveImports(code));
      const { stdout } = await promisify(execFile)(process.execPath, [`${ROOT}node_modules/tsx/dist/cli.mjs`, file], {
        env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', NETDIAG_API_URL: api.url, NETDIAG_TOKEN: tokens.client, NETDIAG_RUNNER_TOKEN: tokens.runner },
        timeout: 30_000,
      });
      expect(stdout).toMatch(expected);
    },
    40_000,
  );
});
