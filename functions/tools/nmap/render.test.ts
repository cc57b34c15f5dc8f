import { describe, expect, it } from 'vitest';
import { renderNmap } from './render';

const host = (over: Record<string, unknown> = {}) => ({
  address: '10.0.0.5',
  addresses: [{ addr: '10.0.0.5', type: 'ipv4', vendor: null }],
  state: 'up',
  reason: 'syn-ack',
  ports: [
    {
      protocol: 'tcp',
      port: 22,
      state: 'open',
      reason: 'syn-ack',
      service: { name: 'ssh', product: 'OpenSSH', version: '9.2p1', extraInfo: 'protocol 2.0', method: 'probed', confidence: 10 },
      scripts: [{ id: 'banner', output: 'SSH-2.0-OpenSSH_9.2p1\nsecond line' }],
    },
    { protocol: 'tcp', port: 81, state: 'closed', reason: 'conn-refused', service: null, scripts: [] },
  ],
  extraPorts: [{ state: 'closed', count: 98 }],
  os: [],
  portsTruncated: false,
  ...over,
});

describe('renderNmap', () => {
  it('renders a table per host with the first line of each script, quoted', () => {
    const text = renderNmap({
      target: '10.0.0.5',
      address: '10.0.0.5',
      hosts: [host()],
      stats: { elapsedSec: 1.5, hostsUp: 1, hostsDown: 0, hostsTotal: 1, exit: 'success', errorMessage: null },
      truncated: false,
    });
    expect(text.split('\n')).toEqual([
      'nmap 10.0.0.5 (10.0.0.5): 1 of 1 hosts up, 1.5 s',
      '10.0.0.5 is up (not shown: 98 closed)',
      '  PORT    STATE   SERVICE  VERSION',
      '  22/tcp  open    ssh      OpenSSH 9.2p1 (protocol 2.0)',
      '  81/tcp  closed',
      '  22/tcp banner: "SSH-2.0-OpenSSH_9.2p1"',
    ]);
  });

  it('says when the scan stopped early or was cut', () => {
    const text = renderNmap({ target: '10.0.0.0/30', address: '10.0.0.0/30', hosts: [host({ ports: [] })], stats: null, truncated: true });
    expect(text).toContain('1 hosts finished (scan stopped early)');
    expect(text).toContain('cut');
  });

  it('survives a malformed result', () => {
    expect(() => renderNmap({ hosts: [null, 3, { ports: 'x' }], stats: 'y' })).not.toThrow();
  });
});
