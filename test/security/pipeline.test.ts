import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defineExecutor } from '../../functions/shared/tool/executor';
import { pingTool } from '../../functions/tools/ping/definition';
import { pingExecutor } from '../../functions/tools/ping/executor';
import { runThroughRunner } from '../helpers/runner-harness';

// Protections the pipeline applies whatever the tool author wrote (docs/security.md, "Arguments" and "Targets").
// The binary is a fake `ping` that only records its argv: nothing here sends a packet anywhere.
const dir = mkdtempSync(join(tmpdir(), 'netdiag-pipeline-'));
const log = join(dir, 'calls.log');
writeFileSync(join(dir, 'ping'), `#!/bin/sh\nprintf '%s\\n' "$*" >> '${log}'\n`);
chmodSync(join(dir, 'ping'), 0o755);
const calls = (): string[] =>
  readFileSync(log, 'utf8')
    .split('\n')
    .filter((l) => l.length > 0);
const env = { NETDIAG_BINARY_DIRS: dir, MCP_ALLOW_LOOPBACK: 'false' };
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('options the executor did not declare', () => {
  const flood = (flags: readonly string[]) =>
    defineExecutor(pingTool, { kind: 'binary', flags, argv: (_p, t) => ['-f', '--', t.address], parse: () => ({ ok: true, result: {} }) });

  it('refuses the job with VALIDATION_ERROR and runs nothing', async () => {
    writeFileSync(log, '');
    const { outcome } = await runThroughRunner(flood(['--']), { target: '10.0.0.5' }, { env });
    expect(outcome).toMatchObject({ status: 'failed', error: { code: 'VALIDATION_ERROR', message: expect.stringMatching(/-f/) } });
    expect(calls()).toEqual([]);
  });

  it('runs it once declared (the fake binary sees it: the check above is what stopped it)', async () => {
    writeFileSync(log, '');
    await runThroughRunner(flood(['-f', '--']), { target: '10.0.0.5' }, { env });
    expect(calls()).toEqual(['-f -- 10.0.0.5']);
  });
});

describe('a hostname is pinned only when every address it resolves to is allowed', () => {
  const resolvesTo =
    (...addresses: string[]) =>
    () =>
      Promise.resolve(addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })));

  it.each([[['127.0.0.1']], [['10.0.0.5', '169.254.169.254']], [['0.0.0.0']], [['::1']]])(
    'refuses a name resolving to %j, nothing spawned',
    async (addresses) => {
      writeFileSync(log, '');
      const { outcome } = await runThroughRunner(pingExecutor, { target: 'web.lab.internal', count: 1 }, { env, resolve: resolvesTo(...addresses) });
      expect(outcome).toMatchObject({ status: 'failed', error: { code: 'FORBIDDEN_TARGET', details: { checkedBy: 'runner' } } });
      expect(calls()).toEqual([]);
    },
  );

  it('passes the pinned literal, never the name, when every address is allowed', async () => {
    writeFileSync(log, '');
    await runThroughRunner(pingExecutor, { target: 'web.lab.internal', count: 1 }, { env, resolve: resolvesTo('10.0.0.5') });
    expect(calls()).toHaveLength(1);
    expect(calls()[0]).toMatch(/-- 10\.0\.0\.5$/);
    expect(calls()[0]).not.toMatch(/lab\.internal/);
  });
});
