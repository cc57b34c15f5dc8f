/**
 * nmap through the runner's real path (schema, policy, pinning, sandbox, parser). Every scan here targets
 * loopback servers opened by the test; refusal tests run a fake nmap that only records its argv.
 */
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runThroughRunner } from '../../../test/helpers/runner-harness';
import { nmapTool } from './definition';
import type { Executor } from '../../shared/tool/executor';
import { nmapExecutor } from './executor';

const nmap = nmapExecutor as unknown as Executor<never>;
const servers: Server[] = [];
let sshPort = 0;
let silentPort = 0;
let closedPort = 0;

function listen(onConnection: (socket: Socket) => void): Promise<{ server: Server; port: number }> {
  const server = createServer((socket) => {
    socket.on('error', () => undefined);
    socket.setTimeout(10_000, () => socket.destroy());
    onConnection(socket);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as { port: number }).port })));
}

beforeAll(async () => {
  const ssh = await listen((s) => s.write('SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n'));
  const silent = await listen(() => undefined);
  const closed = await listen(() => undefined);
  await new Promise((resolve) => closed.server.close(resolve));
  servers.push(ssh.server, silent.server);
  [sshPort, silentPort, closedPort] = [ssh.port, silent.port, closed.port];
});

afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
});

const stateOf = (result: Record<string, unknown>) => {
  const parsed = nmapTool.result.parse(result);
  return parsed.hosts.flatMap((h) => h.ports.map((p) => [h.address, p.port, p.state] as const));
};

describe('nmap through the runner (real binary, loopback only)', () => {
  it('finds two open ports and a closed one', async () => {
    const { outcome } = await runThroughRunner(nmap, { target: '127.0.0.1', ports: `${sshPort},${silentPort},${closedPort}` });
    expect(outcome).toMatchObject({ status: 'succeeded', resolvedAddress: '127.0.0.1' });
    if (outcome.status !== 'succeeded') return;
    expect(stateOf(outcome.result).sort((a, b) => a[1] - b[1])).toEqual(
      [
        ['127.0.0.1', sshPort, 'open'],
        ['127.0.0.1', silentPort, 'open'],
        ['127.0.0.1', closedPort, 'closed'],
      ].sort((a, b) => Number(a[1]) - Number(b[1])),
    );
    expect(outcome.result).toMatchObject({ target: '127.0.0.1', address: '127.0.0.1', truncated: false, stats: { hostsUp: 1, exit: 'success' } });
  });

  it('identifies a service from its banner with serviceDetection and the banner script', async () => {
    const { outcome } = await runThroughRunner(nmap, { target: '127.0.0.1', ports: String(sshPort), serviceDetection: true, scripts: ['banner'] });
    expect(outcome.status).toBe('succeeded');
    if (outcome.status !== 'succeeded') return;
    const port = nmapTool.result.parse(outcome.result).hosts[0]?.ports[0];
    expect(port?.service).toMatchObject({ name: 'ssh', product: 'OpenSSH', method: 'probed' });
    expect(port?.scripts).toContainEqual({ id: 'banner', output: 'SSH-2.0-OpenSSH_9.2p1 Debian-2' });
  });

  it('lists every host of a CIDR block', async () => {
    const { outcome } = await runThroughRunner(nmap, { target: '127.0.0.0/30', ports: String(closedPort) });
    expect(outcome).toMatchObject({ status: 'succeeded', resolvedAddress: '127.0.0.0/30' });
    if (outcome.status !== 'succeeded') return;
    expect(stateOf(outcome.result).map(([address]) => address)).toEqual(['127.0.0.0', '127.0.0.1', '127.0.0.2', '127.0.0.3']);
  });

  it('reports progress from --stats-every during a slow scan', async () => {
    const { outcome, progress } = await runThroughRunner(nmap, { target: '127.0.0.1', ports: `${closedPort},1-11`, timing: 'T2' });
    expect(outcome.status).toBe('succeeded');
    expect(progress.length).toBeGreaterThan(0);
    for (const p of progress) {
      expect(p.total).toBe(100);
      expect(p.progress).toBeGreaterThanOrEqual(0);
      expect(p.progress).toBeLessThanOrEqual(100);
      expect(p.message).toMatch(/^Connect Scan \d+% ETA \d\d:\d\d:\d\d$/);
    }
  });

  it('stops at the deadline with TIMEOUT and a partial result of the result shape', async () => {
    const started = Date.now();
    const { outcome } = await runThroughRunner(nmap, { target: '127.0.0.1', ports: '1-40', timing: 'T2' }, { timeoutSec: 2 });
    expect(Date.now() - started).toBeLessThan(6000);
    expect(outcome).toMatchObject({ status: 'failed', error: { code: 'TIMEOUT' }, resolvedAddress: '127.0.0.1' });
    if (outcome.status !== 'failed') return;
    expect(nmapTool.result.parse(outcome.result)).toEqual({ target: '127.0.0.1', address: '127.0.0.1', hosts: [], stats: null, truncated: false });
  });
});

describe('refusals happen before nmap runs', () => {
  // A fake nmap that only records that it ran: if a refusal were broken, nothing would be scanned.
  let dir = '';
  let marker = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'fake-nmap-'));
    marker = join(dir, 'ran');
    writeFileSync(join(dir, 'nmap'), `#!/bin/sh\necho "$@" >> ${marker}\nexit 1\n`);
    chmodSync(join(dir, 'nmap'), 0o755);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const env = (extra: Record<string, string> = {}) => ({ NETDIAG_BINARY_DIRS: dir, ...extra });

  it('refuses 127.0.0.1 when the runner does not allow loopback', async () => {
    const { outcome } = await runThroughRunner(nmap, { target: '127.0.0.1', ports: '22' }, { env: env({ MCP_ALLOW_LOOPBACK: 'false' }) });
    expect(outcome).toMatchObject({ status: 'failed', error: { code: 'FORBIDDEN_TARGET', details: { checkedBy: 'runner' } } });
    expect(existsSync(marker)).toBe(false);
  });

  it.each([
    '0.0.0.0',
    '0.0.0.0/30',
    '127.1',
    '0177.0.0.1',
    '127.000.000.001',
    '0x7f.0.0.1',
    '2130706433',
    '127.0.0.0/0',
    '127.0.0.0/21',
    '-iL /etc/passwd',
    '--script=x',
  ])('refuses the target %j', async (target) => {
    const { outcome } = await runThroughRunner(nmap, { target, ports: '22' }, { env: env() });
    expect(outcome.status).toBe('failed');
    if (outcome.status === 'failed') expect(['VALIDATION_ERROR', 'FORBIDDEN_TARGET']).toContain(outcome.error.code);
    expect(existsSync(marker)).toBe(false);
  });

  it('refuses syn scans and intrusive scripts without MCP_ALLOW_INTRUSIVE', async () => {
    for (const params of [{ scanType: 'syn' }, { osDetection: true }, { scripts: ['http-enum'] }]) {
      const { outcome } = await runThroughRunner(nmap, { target: '127.0.0.1', ports: '22', ...params }, { env: env() });
      expect(outcome).toMatchObject({ status: 'failed', error: { code: 'FORBIDDEN', details: { checkedBy: 'runner' } } });
    }
    expect(existsSync(marker)).toBe(false);
  });

  it('runs the fake when nothing is refused (the marker works)', async () => {
    await runThroughRunner(nmap, { target: '127.0.0.1', ports: '22' }, { env: env() });
    expect(readFileSync(marker, 'utf8')).toContain('-- 127.0.0.1');
    rmSync(marker);
  });
});
