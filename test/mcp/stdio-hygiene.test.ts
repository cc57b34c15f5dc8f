import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { SHIM_NODE_FLAGS } from '../../scripts/dev-env.mjs';
import { ROOT, closedPort } from '../helpers/processes';

// Raw stdio, no SDK in between: what the shim writes where.
describe('the shim on stdio', () => {
  it('writes nothing but JSON-RPC on stdout, logs JSON lines on stderr, and exits 0 when stdin closes', async () => {
    const port = await closedPort();
    // With the V8 flags of the entry `npm start` prints (scripts/dev-env.mjs): this Node must accept them.
    const child = spawn(process.execPath, [...SHIM_NODE_FLAGS, `${ROOT}dist/shim.cjs`], {
      env: { PATH: process.env['PATH'] ?? '', NETDIAG_API_URL: `http://127.0.0.1:${port}` },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const send = (m: object): boolean => child.stdin.write(`${JSON.stringify(m)}\n`);
    send({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
    });
    send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    send({ jsonrpc: '2.0', id: 2, method: 'tools/list', params: {} });
    send({ jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'ping', arguments: { target: '10.0.0.1' } } });
    const answered = (): boolean => stdout.includes('"id":3');
    for (let i = 0; i < 200 && !answered(); i += 1) await new Promise((r) => setTimeout(r, 25));
    child.stdin.end();
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));

    const lines = stdout.trim().split('\n');
    expect(lines.length).toBe(3);
    for (const line of lines) expect(JSON.parse(line)).toMatchObject({ jsonrpc: '2.0' });
    expect(JSON.parse(lines[2] ?? '{}')).toMatchObject({ id: 3, result: { isError: true } });
    expect(stderr).toMatch(/NETDIAG_TOKEN is not set/);
    for (const line of stderr.trim().split('\n')) expect(JSON.parse(line)).toMatchObject({ name: 'netdiag-shim' });
    expect(code).toBe(0);
  });

  it('starts from the repository as `npx netdiag-shim` (the package bin)', async () => {
    const child = spawn('npx', ['--offline', 'netdiag-shim'], {
      cwd: ROOT,
      env: { PATH: process.env['PATH'] ?? '', NETDIAG_TOKEN: 'x' },
      stdio: ['pipe', 'pipe', 'ignore'],
    });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stdin.write(
      `${JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'npx', version: '1' } } })}\n`,
    );
    for (let i = 0; i < 400 && !stdout.includes('\n'); i += 1) await new Promise((r) => setTimeout(r, 25));
    child.stdin.end();
    await new Promise((resolve) => child.once('exit', resolve));
    expect(JSON.parse(stdout.split('\n')[0] ?? '{}')).toMatchObject({
      id: 1,
      result: { serverInfo: { name: 'netdiag-mcp' }, capabilities: { tools: { listChanged: true }, logging: {} } },
    });
  }, 20_000);
});
