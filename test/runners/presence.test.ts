import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pkg from '../../package.json' with { type: 'json' };
import { type Running, type RunningApi, startApi, startRunner } from '../helpers/processes';
import { type TestTokens, makeTokens } from '../helpers/tokens';
import { collectSse, connectedRunners, data, waitForRunner } from './support';

// Real API and runner processes on loopback: runners announce themselves, leave on a graceful stop, and are
// dropped after a lease period of silence when killed.
const LEASE_SEC = 2;
let tokens: TestTokens;
let api: RunningApi;
let events: ReturnType<typeof collectSse>;
const started: Running[] = [];

beforeAll(async () => {
  tokens = makeTokens();
  api = await startApi(tokens, { MCP_ALLOW_LOOPBACK: 'true', MCP_RUNNER_LEASE_SEC: String(LEASE_SEC) });
  events = collectSse(api, '/events', tokens.admin);
});
afterAll(async () => {
  events.close();
  for (const r of started.reverse()) await r.stop();
  await api.stop();
});

const runnerEvent = (type: string, runnerId: string) => (f: { event?: string; data: string }) => f.event === type && data(f)['runnerId'] === runnerId;

describe('runner registration', () => {
  it('announces id, version, tools, privilege and capacity at start-up and publishes runner.joined', async () => {
    const runner = await startRunner(api, tokens, { MCP_ALLOW_LOOPBACK: 'true', NETDIAG_RUNNER_ID: 'presence-a', NETDIAG_RUNNER_CAPACITY: '3' });
    started.push(runner);
    const joined = data(await events.waitFor(runnerEvent('runner.joined', 'presence-a'), 5000));
    expect(joined).toMatchObject({
      runnerId: 'presence-a',
      version: pkg.version,
      registered: true,
      rejoined: false,
      capacity: 3,
      privileged: process.getuid?.() === 0,
    });
    expect(joined['tools']).toContain('ping');
    const seen = await waitForRunner(api, tokens.reader, 'presence-a');
    expect(seen).toMatchObject({ registered: true, version: pkg.version, capacity: 3 });
  });

  it('deregisters on SIGTERM: runner.left (deregistered) at once, and the runner exits 0', async () => {
    const runner = await startRunner(api, tokens, { MCP_ALLOW_LOOPBACK: 'true', NETDIAG_RUNNER_ID: 'presence-b' });
    await waitForRunner(api, tokens.reader, 'presence-b');
    const exited = new Promise<number | null>((resolve) => runner.proc.once('exit', (code) => resolve(code)));
    runner.proc.kill('SIGTERM');
    expect(await exited).toBe(0);
    // Deregistering is what ends it here: a lease period has not passed since its last claim.
    const left = data(await events.waitFor(runnerEvent('runner.left', 'presence-b'), LEASE_SEC * 1000));
    expect(left).toMatchObject({ runnerId: 'presence-b', reason: 'deregistered', registered: true });
    expect((await connectedRunners(api, tokens.reader)).map((r) => r.id)).not.toContain('presence-b');
  });

  it('drops a runner killed while parked in a claim after a lease period (runner.left, not-seen)', async () => {
    const runner = await startRunner(api, tokens, { MCP_ALLOW_LOOPBACK: 'true', NETDIAG_RUNNER_ID: 'presence-c' });
    await waitForRunner(api, tokens.reader, 'presence-c');
    runner.proc.kill('SIGKILL');
    const left = data(await events.waitFor(runnerEvent('runner.left', 'presence-c'), LEASE_SEC * 1000 + 5000));
    expect(left).toMatchObject({ runnerId: 'presence-c', reason: 'not-seen' });
    expect((await connectedRunners(api, tokens.reader)).map((r) => r.id)).toEqual(['presence-a']);
  });

  it('announces each join and leave once', () => {
    const lines = events.frames.filter((f) => f.event?.startsWith('runner.')).map((f) => `${f.event ?? ''}:${String(data(f)['runnerId'])}`);
    expect(lines).toEqual([
      'runner.joined:presence-a',
      'runner.joined:presence-b',
      'runner.left:presence-b',
      'runner.joined:presence-c',
      'runner.left:presence-c',
    ]);
  });
});
