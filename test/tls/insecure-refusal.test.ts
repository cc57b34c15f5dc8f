import { describe, expect, it } from 'vitest';
import { type Running, startApi } from '../helpers/processes';
import { runUntil } from '../helpers/run-until';
import { connectShim } from '../helpers/shim-client';
import { makeTokens } from '../helpers/tokens';

const text = (r: unknown): string => ((r as { content?: Array<{ text?: string }> }).content ?? []).map((c) => c.text ?? '').join('\n');

// Plain HTTP to a non-loopback address is refused before anything is sent (0.0.0.0: harmless, not loopback by name).
describe('plain HTTP to a non-loopback API', () => {
  const tokens = makeTokens();

  it('stops the runner at start-up with a configuration error naming the fix', async () => {
    const r = await runUntil('runner.mjs', { NETDIAG_API_URL: 'http://0.0.0.0:9', NETDIAG_RUNNER_TOKEN: tokens.runner });
    expect(r.code).toBe(78);
    expect(r.stderr).toMatch(/configuration error: NETDIAG_API_URL: refusing plain HTTP to the non-loopback address 0\.0\.0\.0:9/);
    expect(r.stderr).toMatch(/use https:\/\/ or set NETDIAG_ALLOW_INSECURE=true/);
    expect(r.stderr).not.toMatch(/runner started/);
  });

  it('stops the runner when NETDIAG_CA_FILE cannot be read, naming it', async () => {
    const r = await runUntil('runner.mjs', {
      NETDIAG_API_URL: 'https://127.0.0.1:9',
      NETDIAG_RUNNER_TOKEN: tokens.runner,
      NETDIAG_CA_FILE: '/nonexistent/lab-ca.pem',
    });
    expect(r.code).toBe(78);
    expect(r.stderr).toMatch(/configuration error: NETDIAG_CA_FILE: cannot read \/nonexistent\/lab-ca\.pem \(ENOENT\)/);
  });

  it('with NETDIAG_ALLOW_INSECURE=true the runner starts and warns', async () => {
    const r = await runUntil(
      'runner.mjs',
      { NETDIAG_API_URL: 'http://0.0.0.0:9', NETDIAG_RUNNER_TOKEN: tokens.runner, NETDIAG_ALLOW_INSECURE: 'true' },
      /runner started/,
    );
    expect(r.stderr).toMatch(/"level":40.*NETDIAG_ALLOW_INSECURE=true: tokens and results go to 0\.0\.0\.0:9 in clear text/);
  });

  it('makes every shim tool call an isError naming the setting, and the shim still answers', async () => {
    const shim = await connectShim({ NETDIAG_API_URL: 'http://0.0.0.0:9', NETDIAG_TOKEN: tokens.client });
    try {
      const r = await shim.client.callTool({ name: 'ping', arguments: { target: '127.0.0.1', count: 1 } });
      expect(r.isError).toBe(true);
      expect(text(r)).toMatch(/refusing plain HTTP to the non-loopback address 0\.0\.0\.0:9.*nothing was sent/s);
      expect(text(r)).toMatch(/NETDIAG_ALLOW_INSECURE=true/);
      expect(shim.stderr()).toMatch(/refusing plain HTTP/);
    } finally {
      await shim.close();
    }
  });

  it('with NETDIAG_ALLOW_INSECURE=true the shim starts and warns', async () => {
    const shim = await connectShim({ NETDIAG_API_URL: 'http://0.0.0.0:9', NETDIAG_TOKEN: tokens.client, NETDIAG_ALLOW_INSECURE: 'true' });
    try {
      await until(() => /NETDIAG_ALLOW_INSECURE=true: tokens and results go to 0\.0\.0\.0:9 in clear text/.test(shim.stderr()));
      expect(shim.stderr()).toMatch(/"level":"warn"/);
      expect(shim.stderr()).not.toMatch(/refusing plain HTTP/);
    } finally {
      await shim.close();
    }
  });

  it('a shim whose NETDIAG_CA_FILE cannot be read answers isError naming it, and sends nothing', async () => {
    const shim = await connectShim({ NETDIAG_API_URL: 'https://127.0.0.1:9', NETDIAG_TOKEN: tokens.client, NETDIAG_CA_FILE: '/nonexistent/lab-ca.pem' });
    try {
      const r = await shim.client.callTool({ name: 'ping', arguments: { target: '127.0.0.1', count: 1 } });
      expect(r.isError).toBe(true);
      expect(text(r)).toMatch(/NETDIAG_CA_FILE: cannot read \/nonexistent\/lab-ca\.pem \(ENOENT\).*readable PEM file/s);
    } finally {
      await shim.close();
    }
  });

  it('loopback over plain HTTP stays allowed (local development); https:// to a plain API is named', async () => {
    let api: Running | undefined;
    try {
      const started = await startApi(tokens);
      api = started;
      const shim = await connectShim({ NETDIAG_API_URL: started.url, NETDIAG_TOKEN: tokens.client });
      try {
        const tools = await shim.client.listTools();
        expect(tools.tools.some((t) => t.name === 'ping')).toBe(true);
        expect(shim.stderr()).not.toMatch(/refusing|NETDIAG_ALLOW_INSECURE/);
      } finally {
        await shim.close();
      }
      // https:// to this plain-HTTP API: named as such, with the scheme to check.
      const wrongScheme = await connectShim({ NETDIAG_API_URL: started.url.replace('http:', 'https:'), NETDIAG_TOKEN: tokens.client });
      try {
        const r = await wrongScheme.client.callTool({ name: 'ping', arguments: { target: '127.0.0.1', count: 1 } });
        expect(r.isError).toBe(true);
        expect(text(r)).toMatch(/did not answer TLS .*it may serve plain HTTP.*scheme in NETDIAG_API_URL/s);
      } finally {
        await wrongScheme.close();
      }
    } finally {
      await api?.stop();
    }
  });
});

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 25));
  expect(check()).toBe(true);
}
