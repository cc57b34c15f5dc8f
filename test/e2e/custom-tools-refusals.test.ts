import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, type Running, type RunningApi, execute, startApi, startRunner } from '../helpers/processes';
import { type RecordingBinary, recordingBinary } from '../helpers/recording-binary';
import { type TestTokens, makeTokens } from '../helpers/tokens';

// A tools package with a deliberately bad executor and a broken module, run by the built API and runner. The only
// "binary" is a stand-in that records its argv (never a real diagnostic binary), so "nothing ran" can be checked.
let tokens: TestTokens;
let pkg: string;
let fake: RecordingBinary;
let api: RunningApi;
let runner: Running;

const definition = (name: string): string => `import { z } from 'zod';
export const tool = {
  name: '${name}', title: '${name}', description: 'Runs the recording stand-in.',
  params: z.object({ target: z.string().max(253) }), result: z.object({ address: z.string(), output: z.string() }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  policy: { binary: 'netdiag-fake', debianPackage: null, targetField: 'target', allowCidr: false, defaultTimeoutSec: 10, maxTimeoutSec: 10 },
  render: (r) => String(r.output),
};
`;
const executor = (argv: string): string => `import { tool } from './definition.mjs';
export const executor = { kind: 'binary', definition: tool, flags: ['-n', '--'], argv: (p, t) => ${argv},
  parse: (out, p, t) => ({ ok: true, result: { address: t.address, output: out.stdout } }) };
`;

function writePackage(dir: string): void {
  const put = (path: string, text: string): void => {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  };
  put('package.json', '{ "type": "module" }');
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  put('fake_probe/definition.mjs', definition('fake_probe'));
  put('fake_probe/executor.mjs', executor("['-n', '--', t.address]"));
  // Builds an option it never declared: the pipeline must refuse before spawning.
  put('bad_flag/definition.mjs', definition('bad_flag'));
  put('bad_flag/executor.mjs', executor("['-n', '--evil', '--', t.address]"));
  put('broken/definition.mjs', "import { z } from 'zod';\nthrow new Error('broken on purpose: ' + typeof z);\n");
  // Skipped by name: it would throw too if anything loaded it.
  put('MockProbe/definition.mjs', "throw new Error('MockProbe must never load');\n");
}

beforeAll(async () => {
  tokens = makeTokens();
  pkg = mkdtempSync(join(tmpdir(), 'netdiag-tools-e2e-'));
  writePackage(pkg);
  fake = recordingBinary('netdiag-fake', 'recorded');
  const env = { TOOLS_PACKAGE: pkg, MCP_ALLOW_LOOPBACK: 'true' };
  api = await startApi(tokens, env);
  // A per-tool concurrency for a custom tool is a setting like any other. The recording fake lives in and writes to
  // this test's /tmp, which a hardened job can neither see nor write (runner/src/sandbox/hardening.test.ts covers that).
  const fakeEnv = { ...env, NETDIAG_BINARY_DIRS: fake.dir, MCP_CONCURRENCY_FAKE_PROBE: '1', NETDIAG_SANDBOX_HARDEN: 'false' };
  runner = await startRunner(api, tokens, fakeEnv, { waitFor: 'fake_probe' });
});

afterAll(async () => {
  await runner?.stop();
  await api?.stop();
  fake?.cleanup();
  if (pkg) rmSync(pkg, { recursive: true, force: true });
});

const errorOf = (body: Record<string, unknown>): { code?: string; message?: string } => (body['error'] ?? {}) as { code?: string; message?: string };

describe('a tools package with broken parts', () => {
  it('skips the broken module with one error line naming its file and reason, in the API and the runner; the rest load', async () => {
    for (const logs of [api.logs(), runner.logs()]) {
      const errors = logs.split('\n').filter((l) => l.includes('custom tool not loaded'));
      expect(errors).toHaveLength(1);
      expect(JSON.parse(errors[0] ?? '{}')).toMatchObject({ level: 50, file: join(pkg, 'broken', 'definition.mjs'), reason: 'broken on purpose: object' });
      expect(logs).not.toContain('MockProbe must never load');
    }
    const list = (await (await fetch(`${api.url}/tools`, { headers: { authorization: `Bearer ${tokens.reader}` } })).json()) as {
      tools: Array<{ name: string; available: boolean }>;
    };
    const custom = list.tools.filter((t) => ['fake_probe', 'bad_flag', 'broken', 'mockprobe'].includes(t.name));
    expect(custom.map((t) => [t.name, t.available]).sort()).toEqual([
      ['bad_flag', true],
      ['fake_probe', true],
    ]);
  });

  it('runs a custom binary tool through the pipeline (binary resolved in NETDIAG_BINARY_DIRS, sandboxed)', async () => {
    const r = await execute(api, tokens.client, 'fake_probe', { target: '127.0.0.1' });
    expect(r).toMatchObject({ status: 200, body: { result: { address: '127.0.0.1', output: 'recorded' } } });
    expect(fake.calls()).toEqual(['-n -- 127.0.0.1']);
  });

  it('refuses an executor that builds an undeclared option with VALIDATION_ERROR; nothing runs', async () => {
    const before = fake.calls().length;
    const r = await execute(api, tokens.client, 'bad_flag', { target: '127.0.0.1' });
    expect(r.status).toBe(400);
    expect(errorOf(r.body)).toMatchObject({ code: 'VALIDATION_ERROR', message: expect.stringContaining('(--evil); nothing was run') });
    expect(fake.calls()).toHaveLength(before);
  });

  it.each([
    ['0.0.0.0', 403, 'FORBIDDEN_TARGET'],
    ['127.1', 400, 'VALIDATION_ERROR'],
  ])('refuses the target %s (%i %s) before any job; nothing runs', async (target, status, code) => {
    const before = fake.calls().length;
    const r = await execute(api, tokens.client, 'fake_probe', { target });
    expect(r.status).toBe(status);
    expect(errorOf(r.body).code).toBe(code);
    expect(fake.calls()).toHaveLength(before);
  });

  it('a runner will not start with MCP_CONCURRENCY_<TOOL> for a tool that exists nowhere', async () => {
    const bad = await startRunner(
      api,
      tokens,
      { TOOLS_PACKAGE: pkg, NETDIAG_BINARY_DIRS: fake.dir, MCP_CONCURRENCY_NO_SUCH_TOOL: '1' },
      { waitFor: 'never_offered' },
    ).catch((err: unknown) => err);
    expect(String(bad)).toContain('MCP_CONCURRENCY_NO_SUCH_TOOL: there is no tool "no_such_tool"');
  });
});
