import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, type Running, type RunningApi, startApi, startRunner } from '../helpers/processes';
import { type TestTokens, makeTokens } from '../helpers/tokens';

// @netdiag/client as another team gets it: `npm pack` in openapi/ (its prepack builds openapi/dist), the tarball
// installed offline into an empty project, a consumer compiled there by strict tsc (NodeNext, the published .d.ts
// checked too) and run by node against a live API and runner on 127.0.0.1. Nothing comes from a registry.
const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'netdiag-sdk-package-'));
const consumer = join(dir, 'consumer');
const env = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: dir, npm_config_cache: join(dir, 'npm-cache'), npm_config_update_notifier: 'false' };

const CONSUMER = `import { NetdiagError, createNetdiagClient, type JobView, type ToolParams } from '@netdiag/client';
import { fetchTrusting } from '@netdiag/client/node';
import { NetdiagError as RunnerProtocolError, createRunnerClient } from '@netdiag/client/runner';

const client = createNetdiagClient({ baseUrl: process.env['NETDIAG_API_URL'] ?? '', token: process.env['NETDIAG_TOKEN'] ?? '' });
const tools = await client.listTools();
console.log(\`tools: \${tools.map((t) => t.name).includes('ping')}\`);
const params: ToolParams<'ping'> = { target: '127.0.0.1', count: 1 };
const { result } = await client.tools.ping(params);
console.log(\`ping: \${result.received}/\${result.transmitted}\`);
const job = await client.jobs.start('ping', { target: '127.0.0.1', count: 2, intervalSec: 0.2 });
const types: string[] = [];
const done: JobView = await client.jobs.wait(job.jobId, { onEvent: (e) => types.push(e.type) });
console.log(\`job: \${done.status} \${types.includes('job.succeeded')}\`);
try {
  await client.tools.ping({ target: '0.0.0.0' });
} catch (err) {
  if (!(err instanceof NetdiagError)) throw err;
  console.log(\`refused: \${err.code}\`);
}
console.log(\`node entry: \${typeof fetchTrusting}\`);
// The runner entry with a client token: refused, with the same error class as the main entry's.
const runnerApi = createRunnerClient({ baseUrl: process.env['NETDIAG_API_URL'] ?? '', token: process.env['NETDIAG_TOKEN'] ?? '' });
const refused = await runnerApi.deregister({ runnerId: 'consumer' }).catch((err: unknown) => err);
console.log(\`runner entry: \${refused instanceof NetdiagError && RunnerProtocolError === NetdiagError ? (refused as RunnerProtocolError).code : String(refused)}\`);
`;

const TSCONFIG = {
  compilerOptions: {
    strict: true,
    target: 'ES2022',
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    outDir: 'build',
    skipLibCheck: false,
    types: ['node'],
    typeRoots: [`${ROOT}node_modules/@types`],
  },
  files: ['consumer.ts'],
};

describe('the @netdiag/client package', () => {
  let tokens: TestTokens;
  let api: RunningApi;
  let runner: Running | undefined;
  let tarball = '';

  beforeAll(async () => {
    tokens = makeTokens();
    api = await startApi(tokens, { MCP_ALLOW_LOOPBACK: 'true' });
    runner = await startRunner(api, tokens, { MCP_ALLOW_LOOPBACK: 'true' });
  }, 30_000);
  afterAll(async () => {
    await runner?.stop();
    await api?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('packs only what a consumer needs: the built JS, its declarations, the spec and the README', async () => {
    const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', dir], { cwd: `${ROOT}openapi`, env, timeout: 120_000 });
    const [packed] = JSON.parse(stdout.slice(stdout.indexOf('['))) as Array<{ filename: string; files: Array<{ path: string }> }>;
    const files = (packed?.files ?? []).map((f) => f.path).sort();
    expect(files).toEqual([
      'dist/errors.d.ts',
      'dist/http.d.ts',
      'dist/index.d.ts',
      'dist/index.js',
      'dist/jobs.d.ts',
      'dist/node.d.ts',
      'dist/node.js',
      'dist/runner.d.ts',
      'dist/runner.js',
      'dist/schema.d.ts',
      'dist/service-events.d.ts',
      'dist/shared.js',
      'dist/types.d.ts',
      'openapi.json',
      'package.json',
      'sdk/README.md',
    ]);
    tarball = join(dir, packed?.filename ?? 'missing.tgz');
    expect(readdirSync(dir)).toContain(packed?.filename);
  }, 120_000);

  it('installs offline, compiles under strict NodeNext tsc and runs against the live API', async () => {
    expect(tarball).not.toBe('');
    mkdirSync(consumer);
    writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
    await run('npm', ['install', tarball, '--offline', '--no-audit', '--no-fund'], { cwd: consumer, env, timeout: 120_000 });
    // No runtime dependencies: the package alone is installed.
    expect(readdirSync(join(consumer, 'node_modules')).filter((f) => !f.startsWith('.'))).toEqual(['@netdiag']);
    writeFileSync(join(consumer, 'consumer.ts'), CONSUMER);
    writeFileSync(join(consumer, 'tsconfig.json'), JSON.stringify(TSCONFIG));
    const tsc = await run(process.execPath, [`${ROOT}node_modules/typescript/bin/tsc`, '-p', 'tsconfig.json'], { cwd: consumer, env, timeout: 120_000 }).catch(
      (err: { stdout?: string }) => ({ stdout: `tsc failed:\n${err.stdout ?? String(err)}` }),
    );
    expect(tsc.stdout).toBe('');
    const { stdout } = await run(process.execPath, ['build/consumer.js'], {
      cwd: consumer,
      env: { ...env, NETDIAG_API_URL: api.url, NETDIAG_TOKEN: tokens.client },
      timeout: 30_000,
    });
    expect(stdout.split('\n')).toEqual([
      'tools: true',
      'ping: 1/1',
      'job: succeeded true',
      'refused: FORBIDDEN_TARGET',
      'node entry: function',
      'runner entry: FORBIDDEN',
      '',
    ]);
  }, 180_000);
});
