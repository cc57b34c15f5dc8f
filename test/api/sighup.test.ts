import { afterAll, describe, expect, it } from 'vitest';
import { type RunningApi, startApi } from '../helpers/processes';
import { type TestTokens, makeTokens } from '../helpers/tokens';
import { until } from './node-entry-support';

// A plain-HTTP API (no MCP_TLS_CERT_FILE) is a real process on loopback; Node's default for SIGHUP would end it.
// The HTTPS side (certificate reloaded on SIGHUP) is test/tls/https-hops.test.ts.
let api: RunningApi | undefined;
afterAll(() => api?.stop());

describe('SIGHUP to an API without a certificate', () => {
  it('is logged and ignored: the same process keeps answering', async () => {
    const tokens: TestTokens = makeTokens();
    const running = await startApi(tokens);
    api = running;
    expect(running.url).toMatch(/^http:\/\//);
    for (let i = 1; i <= 2; i++) {
      running.proc.kill('SIGHUP');
      await until('the SIGHUP log line', () => (running.logs().split('SIGHUP ignored').length > i ? true : undefined));
    }
    const res = await fetch(`${running.url}/tools`, { headers: { authorization: `Bearer ${tokens.client}` } });
    expect(res.status).toBe(200);
    expect(running.proc.exitCode).toBeNull();
    expect(running.proc.signalCode).toBeNull();
  });
});
