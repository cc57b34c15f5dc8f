import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runUntil } from '../helpers/run-until';
import { makeTestPki } from '../helpers/tls-pki';
import { makeTokens } from '../helpers/tokens';

// The API refuses to start on a TLS setting it cannot honour (exit 78, the setting named), rather than fall back to HTTP.
describe('API TLS settings at start-up', () => {
  const pki = makeTestPki();
  const tokens = makeTokens();
  afterAll(() => pki.remove());
  const base = { MCP_SERVER_HOST: '127.0.0.1', MCP_SERVER_PORT: '0', MCP_TOKENS_FILE: tokens.file };

  it.each([
    [{ MCP_TLS_CERT_FILE: '/nonexistent.pem' }, /MCP_TLS_CERT_FILE and MCP_TLS_KEY_FILE go together/],
    [{ MCP_TLS_CERT_FILE: '/nonexistent.pem', MCP_TLS_KEY_FILE: '/nonexistent.key' }, /MCP_TLS_CERT_FILE: cannot read \/nonexistent\.pem \(ENOENT\)/],
    [{ MCP_RUNNER_CLIENT_CA_FILE: '/nonexistent.pem' }, /MCP_RUNNER_CLIENT_CA_FILE needs HTTPS/],
  ])('%o is a configuration error', async (env, message) => {
    const r = await runUntil('api.mjs', { ...base, ...env });
    expect(r.code).toBe(78);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/"msg":"listening"/);
  });

  it('a key that does not match the certificate is a configuration error', async () => {
    const ca = pki.ca('lab');
    const a = ca.issue('a');
    const b = ca.issue('b');
    const r = await runUntil('api.mjs', { ...base, MCP_TLS_CERT_FILE: a.certFile, MCP_TLS_KEY_FILE: b.keyFile });
    expect(r.code).toBe(78);
    expect(r.stderr).toMatch(/configuration error: MCP_TLS_CERT_FILE\/MCP_TLS_KEY_FILE: .*key values mismatch/);
  });

  it('a file that is not PEM is a configuration error', async () => {
    const junk = join(pki.dir, 'junk.pem');
    writeFileSync(junk, 'not a certificate');
    const r = await runUntil('api.mjs', { ...base, MCP_TLS_CERT_FILE: junk, MCP_TLS_KEY_FILE: junk });
    expect(r.code).toBe(78);
    expect(r.stderr).toMatch(/configuration error: MCP_TLS_CERT_FILE\/MCP_TLS_KEY_FILE: /);
  });
});
