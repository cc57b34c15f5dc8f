import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../src/audit/entry';
import { ConfigError } from '../shared/config/env-schema';
import { capturingLogger as capture } from '../../test/helpers/test-logger';
import { GENESIS_HASH, lineHash } from './audit-chain';
import { auditFromSettings, openAuditFile } from './audit-file';
import { verifyAuditFile } from './audit-verify-file';
import { tempDir } from '../../test/helpers/temp-dir';

const tempFile = (): string => join(tempDir('netdiag-audit-'), 'audit.log');
const lines = (path: string): string[] =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.length > 0);
const entry = (n: number): AuditEntry => ({
  kind: 'execute',
  principal: 'client',
  tool: 'ping',
  jobId: `job-${n}`,
  params: { target: '127.0.0.1', count: n },
  target: '127.0.0.1',
  resolvedAddress: '127.0.0.1',
  outcome: 'succeeded',
  durationMs: 10 + n,
});

describe('audit file sink', () => {
  it('writes one sealed JSON line per entry, chained from the genesis value', async () => {
    const path = tempFile();
    const audit = openAuditFile(path, capture().logger, () => new Date('2026-01-02T03:04:05.000Z'));
    audit.sink(entry(1));
    audit.sink({ kind: 'disable', principal: 'admin', tool: 'ping', outcome: 'changed' });
    audit.close();
    const [first, second] = lines(path).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(first).toEqual({
      time: '2026-01-02T03:04:05.000Z',
      kind: 'execute',
      principal: 'client',
      tool: 'ping',
      jobId: 'job-1',
      params: { target: '127.0.0.1', count: 1 },
      target: '127.0.0.1',
      resolvedAddress: '127.0.0.1',
      outcome: 'succeeded',
      durationMs: 11,
      prevHash: GENESIS_HASH,
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(second).toMatchObject({
      kind: 'disable',
      principal: 'admin',
      params: null,
      target: null,
      resolvedAddress: null,
      jobId: null,
      durationMs: null,
      prevHash: lineHash(lines(path)[0] ?? ''),
    });
    expect(await verifyAuditFile(path)).toEqual({ ok: true, entries: 2 });
  });

  it('continues the chain from the last line after a restart', async () => {
    const path = tempFile();
    const before = openAuditFile(path, capture().logger);
    before.sink(entry(1));
    before.sink(entry(2));
    before.close();
    const after = openAuditFile(path, capture().logger);
    after.sink(entry(3));
    after.close();
    const all = lines(path);
    expect(all).toHaveLength(3);
    expect((JSON.parse(all[2] ?? '') as { prevHash: string }).prevHash).toBe(lineHash(all[1] ?? ''));
    expect(await verifyAuditFile(path)).toEqual({ ok: true, entries: 3 });
  });

  it('never overwrites: an existing file is appended to', () => {
    const path = tempFile();
    writeFileSync(path, '');
    const a = openAuditFile(path, capture().logger);
    a.sink(entry(1));
    a.close();
    const size = readFileSync(path).length;
    const b = openAuditFile(path, capture().logger);
    b.sink(entry(2));
    b.close();
    expect(readFileSync(path).length).toBeGreaterThan(size);
    expect(readFileSync(path, 'utf8').startsWith(readFileSync(path, 'utf8').slice(0, size))).toBe(true);
  });

  it('closes a cut-short last line before appending, with a warning; verify then names that line', async () => {
    const path = tempFile();
    const a = openAuditFile(path, capture().logger);
    a.sink(entry(1));
    a.close();
    writeFileSync(path, `${readFileSync(path, 'utf8')}{"time":"2026-`, { flag: 'w' });
    const { logger, lines: logged } = capture();
    const b = openAuditFile(path, logger);
    b.sink(entry(2));
    b.close();
    expect(logged.some((l) => l.level === 'warn' && /cut-short/.test(l.msg ?? ''))).toBe(true);
    expect(lines(path)).toHaveLength(3);
    expect(await verifyAuditFile(path)).toMatchObject({ ok: false, line: 2 });
  });

  it('logs a failed write with the entry and does not throw', () => {
    const { logger, lines: logged } = capture();
    const audit = openAuditFile('/dev/full', logger);
    expect(() => audit.sink(entry(1))).not.toThrow();
    audit.close();
    const failure = logged.find((l) => l.level === 'error');
    expect(failure?.msg).toMatch(/audit write failed/);
    expect(failure?.obj).toMatchObject({ audit: { jobId: 'job-1' } });
  });

  it('refuses to start when the file cannot be opened', () => {
    expect(() => openAuditFile('/nonexistent-dir/audit.log', capture().logger)).toThrow(ConfigError);
    expect(() => openAuditFile('/nonexistent-dir/audit.log', capture().logger)).toThrow(/MCP_AUDIT_FILE: cannot open/);
  });

  it('warns once that auditing is off when MCP_AUDIT_FILE is unset', () => {
    const { logger, lines: logged } = capture();
    expect(auditFromSettings(undefined, logger)).toBeUndefined();
    expect(logged).toEqual([{ level: 'warn', obj: {}, msg: 'MCP_AUDIT_FILE is not set: auditing is off' }]);
  });
});

describe('audit chain verification', () => {
  async function chain(n: number): Promise<string> {
    const path = tempFile();
    const audit = openAuditFile(path, capture().logger);
    for (let i = 1; i <= n; i += 1) audit.sink(entry(i));
    audit.close();
    return path;
  }
  const rewrite = (path: string, edit: (ls: string[]) => string[]): void => writeFileSync(path, `${edit(lines(path)).join('\n')}\n`);

  it('reports a changed value at exactly the changed line', async () => {
    const path = await chain(4);
    rewrite(path, (ls) => ls.map((l, i) => (i === 2 ? l.replace('"durationMs":13', '"durationMs":1') : l)));
    expect(await verifyAuditFile(path)).toEqual({ ok: false, line: 3, problem: expect.stringMatching(/does not match its own hash/) });
  });

  it('reports a re-sealed forgery at the line after it', async () => {
    const path = await chain(4);
    const { sealLine } = await import('./audit-chain');
    rewrite(path, (ls) =>
      ls.map((l, i) => {
        if (i !== 1) return l;
        const { hash: _hash, prevHash, ...rest } = JSON.parse(l) as Record<string, unknown>;
        return sealLine({ ...rest, outcome: 'failed:TIMEOUT' }, String(prevHash));
      }),
    );
    expect(await verifyAuditFile(path)).toEqual({ ok: false, line: 3, problem: expect.stringMatching(/prevHash does not match line 2/) });
  });

  it('reports a removed line at the line that followed it', async () => {
    const path = await chain(4);
    rewrite(path, (ls) => ls.filter((_, i) => i !== 1));
    expect(await verifyAuditFile(path)).toEqual({ ok: false, line: 2, problem: expect.stringMatching(/prevHash does not match line 1/) });
  });

  it('reports a removed first line', async () => {
    const path = await chain(2);
    rewrite(path, (ls) => ls.slice(1));
    expect(await verifyAuditFile(path)).toMatchObject({ ok: false, line: 1, problem: expect.stringMatching(/genesis/) });
  });

  it('accepts an empty file', async () => {
    const path = tempFile();
    writeFileSync(path, '');
    expect(await verifyAuditFile(path)).toEqual({ ok: true, entries: 0 });
  });
});
