import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { type Server, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeServer, listenLoopback } from '../helpers/native-test-support';
import { type Running, type RunningApi, startApi, startRunner } from '../helpers/processes';
import { type TestTokens, makeTokens } from '../helpers/tokens';
import { TERMINAL, startJob, waitForJob, waitForRunner } from './support';

// Two real runners: one finds nmap, the other is pointed at a directory holding only ping. nmap jobs must only
// ever reach the first, even though the second is parked in a claim first (the oldest waiter gets a job).
let tokens: TestTokens;
let api: RunningApi;
let pingOnlyDir: string;
const runners: Running[] = [];
const servers: Server[] = [];
const ports: number[] = [];

beforeAll(async () => {
  tokens = makeTokens();
  pingOnlyDir = mkdtempSync(join(tmpdir(), 'netdiag-ping-only-'));
  symlinkSync('/usr/bin/ping', join(pingOnlyDir, 'ping'));
  for (let i = 0; i < 2; i += 1) {
    // nmap's connect scan resets the connection: the error is expected.
    const server = createServer((socket) => {
      socket.on('error', () => undefined);
      socket.end();
    });
    servers.push(server);
    ports.push(await listenLoopback(server));
  }
  ports.sort((a, b) => a - b);
  api = await startApi(tokens, { MCP_ALLOW_LOOPBACK: 'true' });
  runners.push(await startRunner(api, tokens, { MCP_ALLOW_LOOPBACK: 'true', NETDIAG_RUNNER_ID: 'ping-only', NETDIAG_BINARY_DIRS: pingOnlyDir }));
  runners.push(await startRunner(api, tokens, { MCP_ALLOW_LOOPBACK: 'true', NETDIAG_RUNNER_ID: 'with-nmap' }, { waitFor: 'nmap' }));
});
afterAll(async () => {
  for (const r of runners.reverse()) await r.stop();
  await api.stop();
  for (const s of servers) await closeServer(s);
  rmSync(pingOnlyDir, { recursive: true, force: true });
});

describe('jobs go only to runners that advertise the tool', () => {
  it('the ping-only runner does not advertise nmap', async () => {
    const pingOnly = await waitForRunner(api, tokens.reader, 'ping-only');
    const withNmap = await waitForRunner(api, tokens.reader, 'with-nmap');
    expect(pingOnly.tools).toContain('ping');
    expect(pingOnly.tools).not.toContain('nmap');
    expect(withNmap.tools).toContain('nmap');
  });

  it('runs every nmap scan of 127.0.0.1 on the runner with nmap, finding the open ports', { timeout: 60_000 }, async () => {
    const spec = ports.join(',');
    const ids = await Promise.all([0, 1, 2].map(() => startJob(api, tokens.client, 'nmap', { target: '127.0.0.1', ports: spec })));
    const ends = await Promise.all(ids.map((id) => waitForJob(api, tokens.admin, id, (j) => TERMINAL.has(j.status), 45_000)));
    for (const end of ends) {
      expect(end).toMatchObject({ status: 'succeeded', runnerId: 'with-nmap', attempts: 1 });
      const host = (end.result?.['hosts'] as Array<{ ports: Array<{ port: number; state: string }> }> | undefined)?.[0];
      expect(host?.ports.map((p) => [p.port, p.state])).toEqual(ports.map((p) => [p, 'open']));
    }
  });

  it('still hands ping jobs to either runner', async () => {
    const id = await startJob(api, tokens.client, 'ping', { target: '127.0.0.1', count: 1 });
    const end = await waitForJob(api, tokens.admin, id, (j) => TERMINAL.has(j.status), 15_000);
    expect(end.status).toBe('succeeded');
    expect(['ping-only', 'with-nmap']).toContain(end.runnerId);
  });
});
