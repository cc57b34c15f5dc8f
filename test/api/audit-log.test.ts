import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lineHash } from '../../functions/node/audit-chain';
import { type Running, type RunningApi, execute, startApi, startRunner } from '../helpers/processes';
import { type TestTokens, makeTokens } from '../helpers/tokens';
import { runAuditVerify, until } from './node-entry-support';

// Real dist/api.mjs + dist/runner.mjs; every packet goes to 127.0.0.1.
let tokens: TestTokens;
let auditFile: string;
let api: RunningApi;
const started: Running[] = [];

const auditLines = (): string[] =>
  readFileSync(auditFile, 'utf8')
    .split('\n')
    .filter((l) => l.length > 0);
const entries = (): Array<Record<string, unknown>> => auditLines().map((l) => JSON.parse(l) as Record<string, unknown>);
const send = async (method: string, path: string, token: string): Promise<Response> =>
  fetch(`${api.url}${path}`, { method, headers: { authorization: `Bearer ${token}` } });
const jobStatus = async (id: string): Promise<string> => ((await (await send('GET', `/jobs/${id}`, tokens.client)).json()) as { status: string }).status;

beforeAll(async () => {
  tokens = makeTokens();
  auditFile = join(tokens.dir, 'audit.log');
  api = await startApi(tokens, { MCP_ALLOW_LOOPBACK: 'true', MCP_AUDIT_FILE: auditFile, MCP_RATE_LIMIT_PER_MINUTE: '0' });
  started.push(api, await startRunner(api, tokens, { MCP_ALLOW_LOOPBACK: 'true' }));
});
afterAll(async () => {
  for (const r of started.reverse()) await r.stop();
});

describe('audit log of a running API', () => {
  it("records an execute with who, what, target, the runner's resolved address, outcome and duration", async () => {
    const call = await execute(api, tokens.client, 'ping', { target: '127.0.0.1', count: 1 });
    expect(call.status).toBe(200);
    const line = entries().find((e) => e['jobId'] === call.body['jobId']);
    expect(line).toEqual({
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      kind: 'execute',
      principal: 'client',
      tool: 'ping',
      jobId: call.body['jobId'],
      params: expect.objectContaining({ target: '127.0.0.1', count: 1 }),
      target: '127.0.0.1',
      resolvedAddress: '127.0.0.1',
      outcome: 'succeeded',
      durationMs: expect.any(Number),
      prevHash: expect.stringMatching(/^[0-9a-f]{64}$/),
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
  });

  it('records a cancel by its principal, then the job ending as cancelled', async () => {
    const accepted = await fetch(`${api.url}/tools/ping/execute?async=true`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.client}`, 'content-type': 'application/json' },
      body: JSON.stringify({ target: '127.0.0.1', count: 10, intervalSec: 1 }),
    });
    const { jobId } = (await accepted.json()) as { jobId: string };
    await until('the job to run', async () => ((await jobStatus(jobId)) === 'running' ? true : undefined));
    expect((await send('DELETE', `/jobs/${jobId}`, tokens.client)).status).toBe(200);
    await until('the job to end', async () => ((await jobStatus(jobId)) === 'cancelled' ? true : undefined));
    const mine = entries().filter((e) => e['jobId'] === jobId);
    expect(mine.map((e) => e['kind'])).toEqual(['cancel', 'execute']);
    expect(mine[0]).toMatchObject({ kind: 'cancel', principal: 'client', tool: 'ping', target: '127.0.0.1', outcome: expect.any(String) });
    expect(mine[1]).toMatchObject({ kind: 'execute', principal: 'client', outcome: 'cancelled', resolvedAddress: '127.0.0.1' });
  });

  it('records disable and enable by the admin', async () => {
    expect((await send('POST', '/tools/traceroute/disable', tokens.admin)).status).toBe(200);
    expect((await send('POST', '/tools/traceroute/enable', tokens.admin)).status).toBe(200);
    expect(entries().slice(-2)).toEqual([
      expect.objectContaining({ kind: 'disable', principal: 'admin', tool: 'traceroute', outcome: 'changed', params: null, target: null }),
      expect.objectContaining({ kind: 'enable', principal: 'admin', tool: 'traceroute', outcome: 'changed' }),
    ]);
  });

  it('passes npm run audit:verify', async () => {
    const n = auditLines().length;
    expect(n).toBeGreaterThanOrEqual(5);
    expect(await runAuditVerify(auditFile)).toMatchObject({ code: 0, stdout: `audit chain OK: ${n} entries\n` });
  });

  it('fails verification at exactly the line whose value was changed', async () => {
    const copy = join(tokens.dir, 'tampered.log');
    const lines = auditLines();
    lines[1] = (lines[1] ?? '').replace('"principal":"client"', '"principal":"admin"');
    expect(lines[1]).toContain('"principal":"admin"');
    writeFileSync(copy, `${lines.join('\n')}\n`);
    const { code, stdout } = await runAuditVerify(copy);
    expect(code).toBe(1);
    expect(stdout).toMatch(/^audit chain broken at line 2: the line does not match its own hash/);
  });

  it('fails verification at the line after a deleted one', async () => {
    const copy = join(tokens.dir, 'deleted.log');
    writeFileSync(
      copy,
      `${auditLines()
        .filter((_, i) => i !== 2)
        .join('\n')}\n`,
    );
    const { code, stdout } = await runAuditVerify(copy);
    expect(code).toBe(1);
    expect(stdout).toMatch(/^audit chain broken at line 3: prevHash does not match line 2/);
  });

  it('continues the chain after a restart of the API', async () => {
    const before = auditLines();
    await api.stop();
    api = await startApi(tokens, { MCP_ALLOW_LOOPBACK: 'true', MCP_AUDIT_FILE: auditFile });
    started.push(api);
    expect((await send('POST', '/tools/mtr/disable', tokens.admin)).status).toBe(200);
    const after = auditLines();
    expect(after.slice(0, before.length)).toEqual(before);
    expect((JSON.parse(after[before.length] ?? '{}') as { prevHash?: string }).prevHash).toBe(lineHash(before[before.length - 1] ?? ''));
    expect(await runAuditVerify(auditFile)).toMatchObject({ code: 0, stdout: `audit chain OK: ${after.length} entries\n` });
  });
});
