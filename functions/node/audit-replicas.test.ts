import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../src/audit/entry';
import { ConfigError } from '../shared/config/env-schema';
import { capturingLogger as capture } from '../../test/helpers/test-logger';
import { findAuditChains, verifyAuditChains } from './audit-chains';
import { auditFromSettings } from './audit-file';
import { replicaAuditPath, resolveReplicaId } from './replica-id';
import { tempDir } from '../../test/helpers/temp-dir';

const ROOT = new URL('../..', import.meta.url).pathname;
const entry = (n: number): AuditEntry => ({ kind: 'execute', principal: 'client', tool: 'ping', jobId: `job-${n}`, outcome: 'succeeded', durationMs: n });

/** Two replicas appending to their own chains of one MCP_AUDIT_FILE, the way the Node entry opens them. */
function twoReplicaChains(entries = 3): { base: string; files: string[] } {
  const base = join(tempDir('netdiag-audit-replicas-'), 'audit.log');
  const files: string[] = [];
  for (const id of ['api-1', 'api-2']) {
    const audit = auditFromSettings(base, capture().logger, id);
    for (let n = 1; n <= entries; n += 1) audit?.sink(entry(n));
    audit?.close();
    files.push(replicaAuditPath(base, id));
  }
  return { base, files };
}

const auditVerify = (file: string): Promise<{ code: number; stdout: string }> =>
  new Promise((resolve) => {
    execFile(`${ROOT}node_modules/.bin/tsx`, ['scripts/audit-verify.ts', file], { cwd: ROOT }, (err, stdout) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout });
    });
  });

describe('replica id', () => {
  it('is MCP_REPLICA_ID, else hostname-pid with a shared broker, else none', () => {
    expect(resolveReplicaId({ MCP_REPLICA_ID: 'api-1', REDIS_URL: 'redis://127.0.0.1:6379' }, 'h', 7)).toBe('api-1');
    expect(resolveReplicaId({ REDIS_URL: 'redis://127.0.0.1:6379' }, 'pod/a b', 42)).toBe('pod_a_b-42');
    expect(resolveReplicaId({}, 'h', 7)).toBeUndefined();
  });

  it('refuses an id that cannot be part of a file name', () => {
    for (const bad of ['../x', 'a/b', '.hidden', 'x'.repeat(65), 'a b']) {
      expect(() => resolveReplicaId({ MCP_REPLICA_ID: bad })).toThrow(ConfigError);
    }
  });

  it('names the replica file next to MCP_AUDIT_FILE', () => {
    expect(replicaAuditPath('/var/log/netdiag/audit.log', 'api-1')).toBe('/var/log/netdiag/audit.api-1.log');
    expect(replicaAuditPath('/var/log/audit', 'api-1')).toBe('/var/log/audit.api-1');
    expect(replicaAuditPath('/var/log/audit.log', undefined)).toBe('/var/log/audit.log');
  });
});

describe('audit with several replicas', () => {
  it('keeps one valid chain per replica and verifies them all', async () => {
    const { base, files } = twoReplicaChains();
    expect(findAuditChains(base)).toEqual(files);
    const results = await verifyAuditChains(base);
    expect(results).toEqual(files.map((file) => ({ file, report: { ok: true, entries: 3 } })));
  });

  it('npm run audit:verify checks every chain and names the one that breaks', async () => {
    const { base, files } = twoReplicaChains();
    expect(await auditVerify(base)).toEqual({
      code: 0,
      stdout: 'audit chain OK in audit.api-1.log: 3 entries\naudit chain OK in audit.api-2.log: 3 entries\n',
    });
    const second = files[1] ?? '';
    const lines = readFileSync(second, 'utf8').split('\n');
    lines[1] = (lines[1] ?? '').replace('"durationMs":2', '"durationMs":20');
    writeFileSync(second, lines.join('\n'));
    const broken = await auditVerify(base);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toMatch(/^audit chain OK in audit\.api-1\.log: 3 entries\naudit chain broken in audit\.api-2\.log at line 2: /);
  });

  it('says so when there is no chain at all (exit 2)', async () => {
    const base = join(tempDir('netdiag-audit-none-'), 'audit.log');
    expect((await auditVerify(base)).code).toBe(2);
  });
});
