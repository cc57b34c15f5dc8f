import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { TOKENS, makeTestApp } from '../../../test/helpers/app';
import { createApp } from '../app';
import { resolveConfig } from '../../shared/node/resolve-config';
import { createDeps } from '../create-deps';
import type { AppDeps } from '../deps';

const sha256 = (t: string): string => createHash('sha256').update(t).digest('hex');

interface Report {
  file: string | null;
  settings: Array<{ key: string; value: unknown; source: string; redacted: boolean }>;
  warnings: Array<{ key: string; used: string }>;
}

let deps: AppDeps | undefined;
afterEach(() => deps?.jobs.close());

async function getConfig(env: Record<string, string>, file?: string): Promise<{ text: string; report: Report }> {
  const resolved = resolveConfig({ env, file: file === undefined ? undefined : { path: '/etc/netdiag.yaml', text: file } });
  const tokens = [{ id: 'admin', sha256: sha256(TOKENS.admin), scopes: ['tools:admin' as const] }];
  deps = createDeps({ env: resolved.values, configOrigin: { sources: resolved.sources, warnings: resolved.warnings }, tokens, version: 'test' });
  const res = await createApp(deps).request('http://localhost/config', { headers: { authorization: `Bearer ${TOKENS.admin}` } });
  expect(res.status).toBe(200);
  const text = await res.text();
  return { text, report: JSON.parse(text) as Report };
}

const find = (r: Report, key: string) => r.settings.find((s) => s.key === key);

describe('GET /config', () => {
  it('is for admins only', async () => {
    const t = makeTestApp();
    expect((await t.call('GET', '/config')).status).toBe(401);
    const res = await t.call('GET', '/config', TOKENS.client);
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('FORBIDDEN');
    expect((await t.call('GET', '/config', TOKENS.admin)).status).toBe(200);
    t.jobs.close();
  });

  it('shows every setting with its effective value and source', async () => {
    const { report } = await getConfig(
      { MCP_SERVER_PORT: '7000', MCP_CONFIG_FILE: '/etc/netdiag.yaml' },
      'server: { port: 9000 }\ntool: { default_timeout: 10 }\nrate_limit: { tools: { nmap: 2 } }\n',
    );
    expect(report.file).toBe('/etc/netdiag.yaml');
    expect(find(report, 'MCP_SERVER_PORT')).toEqual({ key: 'MCP_SERVER_PORT', value: 7000, source: 'env', redacted: false });
    expect(find(report, 'MCP_DEFAULT_TIMEOUT_SEC')).toMatchObject({ value: 60, source: 'file' });
    expect(find(report, 'MCP_RATE_LIMITS')).toMatchObject({ value: { nmap: 2 }, source: 'file' });
    expect(find(report, 'MCP_RATE_LIMIT_PER_MINUTE')).toMatchObject({ value: 10, source: 'default' });
    expect(find(report, 'MCP_ALLOW_LOOPBACK')).toMatchObject({ value: false, source: 'default' });
    expect(report.warnings).toEqual([expect.objectContaining({ key: 'MCP_DEFAULT_TIMEOUT_SEC', used: '60' })]);
    // Only the API's own settings, never the rest of the process environment.
    expect(report.settings.every((s) => /^(MCP_|TOOL_|TOOLS_PACKAGE$|LOG_LEVEL|REDIS_|JOB_RETENTION_SEC$)/.test(s.key))).toBe(true);
  });

  it('redacts secrets by name and anything hash-like; token values and hashes never appear', async () => {
    const hashes = Object.values(TOKENS).map(sha256);
    const { text, report } = await getConfig({
      MCP_TOKENS_FILE: `/run/secrets/tokens-${hashes[0]}.json`,
      // A hash where no secret is expected still does not leak.
      MCP_SERVER_HOST: hashes[1] ?? '',
    });
    expect(find(report, 'MCP_TOKENS_FILE')).toEqual({ key: 'MCP_TOKENS_FILE', value: '[redacted]', source: 'env', redacted: true });
    expect(find(report, 'MCP_SERVER_HOST')).toMatchObject({ value: '[redacted]', redacted: true });
    for (const secret of [...hashes, ...Object.values(TOKENS)]) expect(text).not.toContain(secret);
    expect(text).not.toContain('/run/secrets');
  });
});
