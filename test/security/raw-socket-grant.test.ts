import { describe, expect, it } from 'vitest';
import { pingExecutor } from '../../functions/tools/ping/executor';
import { tracerouteExecutor } from '../../functions/tools/traceroute/executor';
import { runThroughRunner } from '../helpers/runner-harness';

// CAP_NET_RAW is granted per call, only when the tool's definition declares it (needsRawSocket) and the operator lets
// that tool have it (NETDIAG_SANDBOX_NET_RAW; docs/security.md, "Sandbox"). Loopback only.
describe('the raw-socket grant', () => {
  it('a declared raw socket works when the operator allows the tool (default *)', async () => {
    const { outcome } = await runThroughRunner(pingExecutor as never, { target: '127.0.0.1', count: 1 });
    expect(outcome).toMatchObject({ status: 'succeeded', result: { received: 1 } });
  });

  it('refuses with FORBIDDEN, before anything runs, a call that needs one the operator does not grant the tool', async () => {
    const env = { NETDIAG_SANDBOX_NET_RAW: 'nmap,mtr' };
    const ping = await runThroughRunner(pingExecutor as never, { target: '127.0.0.1', count: 1 }, { env });
    expect(ping.outcome).toMatchObject({ status: 'failed', error: { code: 'FORBIDDEN', details: { checkedBy: 'runner' } } });
    expect(ping.outcome.status === 'failed' && ping.outcome.error.message).toMatch(/NETDIAG_SANDBOX_NET_RAW|raw socket/);
    const icmp = await runThroughRunner(tracerouteExecutor as never, { target: '127.0.0.1', protocol: 'icmp', maxHops: 2 }, { env });
    expect(icmp.outcome).toMatchObject({ status: 'failed', error: { code: 'FORBIDDEN' } });
  });

  it('leaves calls that need no raw socket alone (traceroute over UDP runs with no capability at all)', async () => {
    const { outcome } = await runThroughRunner(tracerouteExecutor as never, { target: '127.0.0.1', maxHops: 2 }, { env: { NETDIAG_SANDBOX_NET_RAW: 'nmap' } });
    expect(outcome).toMatchObject({ status: 'succeeded' });
  });
});
