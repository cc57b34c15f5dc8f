import { type AddressInfo, type Server, createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closedPort } from '../../../test/helpers/processes';
import { runThroughRunner } from '../../../test/helpers/runner-harness';
import { tool } from './definition';
import { executor } from './executor';

let server: Server;
let port = 0;
let accepted = 0;

beforeAll(async () => {
  server = createServer((socket) => {
    accepted++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('tcp_connect through the runner (loopback)', () => {
  it('times each connection to a listening port', async () => {
    const before = accepted;
    const { outcome, progress } = await runThroughRunner(executor, { target: '127.0.0.1', port, count: 3, intervalMs: 0 });
    expect(outcome).toMatchObject({ status: 'succeeded', resolvedAddress: '127.0.0.1', result: { address: '127.0.0.1', port, connected: 3, failed: 0 } });
    if (outcome.status !== 'succeeded') return;
    expect(tool.result.safeParse(outcome.result).success).toBe(true);
    expect(progress.map((p) => p.progress)).toEqual([1, 2, 3]);
    await expect.poll(() => accepted - before).toBe(3);
  });

  it('reports a refused connection as a finding', async () => {
    const { outcome } = await runThroughRunner(executor, { target: '127.0.0.1', port: await closedPort(), count: 1 });
    expect(outcome).toMatchObject({
      status: 'succeeded',
      result: { connected: 0, failed: 1, stats: null, attempts: [{ connected: false, error: expect.stringContaining('ECONNREFUSED') }] },
    });
  });

  it('stops promptly when cancelled', async () => {
    const stop = new AbortController();
    setTimeout(() => stop.abort(), 200);
    const started = Date.now();
    const { outcome } = await runThroughRunner(executor, { target: '127.0.0.1', port, count: 10, intervalMs: 5000 }, { signal: stop.signal });
    expect(outcome).toMatchObject({ status: 'failed', error: { code: 'CANCELLED' }, result: { connected: 1 } });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('refuses loopback when the runner disallows it, opening nothing', async () => {
    const before = accepted;
    const { outcome } = await runThroughRunner(executor, { target: '127.0.0.1', port, count: 1 }, { env: { MCP_ALLOW_LOOPBACK: 'false' } });
    expect(outcome).toMatchObject({ status: 'failed', error: { code: 'FORBIDDEN_TARGET' } });
    expect(accepted).toBe(before);
  });

  it('renders any JSON', () => {
    expect(tool.render({})).toContain('no connection was established');
    expect(
      tool.render({
        target: 't',
        address: 'a',
        port: 1,
        connected: 1,
        failed: 0,
        attempts: [{ seq: 1, connected: true, timeMs: 0.2 }],
        stats: { minMs: 0.2, avgMs: 0.2, maxMs: 0.2 },
      }),
    ).toContain('#1 0.2 ms');
  });
});
