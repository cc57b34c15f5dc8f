import { describe, expect, it } from 'vitest';
import { runThroughRunner } from '../../../test/helpers/runner-harness';
import { parsePingOutput, pingExecutor } from './executor';
import type { Executor } from '../../shared/tool/executor';

const ping = pingExecutor as unknown as Executor<never>;
const target = { target: '10.0.0.5', address: '10.0.0.5', family: 4 as const };

describe('parsePingOutput', () => {
  it('reads replies, loss and rtt from iputils output', () => {
    const out = [
      'PING 10.0.0.5 (10.0.0.5) 56(84) bytes of data.',
      '64 bytes from 10.0.0.5: icmp_seq=1 ttl=63 time=0.412 ms',
      '64 bytes from 10.0.0.5: icmp_seq=3 ttl=63 time=1.05 ms',
      '',
      '--- 10.0.0.5 ping statistics ---',
      '3 packets transmitted, 2 received, 33.3333% packet loss, time 2003ms',
      'rtt min/avg/max/mdev = 0.412/0.731/1.050/0.319 ms',
    ].join('\n');
    const r = parsePingOutput(out, target);
    expect(r).toMatchObject({ transmitted: 3, received: 2, lossPercent: 33.3333, rtt: { minMs: 0.412, avgMs: 0.731, maxMs: 1.05, mdevMs: 0.319 } });
    expect(r?.replies).toEqual([
      { bytes: 64, seq: 1, ttl: 63, timeMs: 0.412 },
      { bytes: 64, seq: 3, ttl: 63, timeMs: 1.05 },
    ]);
  });

  it('treats 100% loss as a result with no rtt', () => {
    const out = '--- 10.0.0.5 ping statistics ---\n2 packets transmitted, 0 received, 100% packet loss, time 1001ms\n';
    expect(parsePingOutput(out, target)).toMatchObject({ transmitted: 2, received: 0, lossPercent: 100, rtt: null, replies: [] });
  });

  it('returns undefined when there is no summary', () => {
    expect(parsePingOutput('ping: connect: Network is unreachable\n', target)).toBeUndefined();
  });
});

describe('ping argv', () => {
  it('is built only from typed parameters, with the address after --', () => {
    const argv = pingExecutor.argv({ target: 'x', count: 3, intervalSec: 0.5, packetSize: 100 }, target, {
      allowIntrusive: false,
      privileged: false,
      httpMaxRedirects: 0,
    });
    expect(argv).toEqual([
      '-n',
      '-4',
      '-e',
      expect.stringMatching(/^[1-9]\d{0,4}$/),
      '-c',
      '3',
      '-i',
      '0.5',
      '-s',
      '100',
      '-W',
      '2',
      '-w',
      '4',
      '--',
      '10.0.0.5',
    ]);
    const ids = new Set(
      Array.from(
        { length: 50 },
        () =>
          pingExecutor.argv({ target: 'x', count: 1, intervalSec: 1, packetSize: 56 }, target, {
            allowIntrusive: false,
            privileged: false,
            httpMaxRedirects: 0,
          })[3],
      ),
    );
    expect(ids.size).toBeGreaterThan(40);
  });
});

describe('ping through the runner (real binary, loopback)', () => {
  it('pings 127.0.0.1 and reports every reply', async () => {
    const { outcome, progress } = await runThroughRunner(ping, { target: '127.0.0.1', count: 2, intervalSec: 0.2 });
    expect(outcome.status).toBe('succeeded');
    if (outcome.status !== 'succeeded') return;
    expect(outcome.result).toMatchObject({ target: '127.0.0.1', address: '127.0.0.1', transmitted: 2, received: 2, lossPercent: 0, truncated: false });
    expect(outcome.resolvedAddress).toBe('127.0.0.1');
    expect(progress.at(-1)).toMatchObject({ progress: 2, total: 2 });
  });

  it('refuses loopback when the runner does not allow it, whatever the API sent', async () => {
    const { outcome } = await runThroughRunner(ping, { target: '127.0.0.1', count: 1 }, { env: { MCP_ALLOW_LOOPBACK: 'false' } });
    expect(outcome).toMatchObject({ status: 'failed', error: { code: 'FORBIDDEN_TARGET' } });
  });

  it('refuses parameters outside the schema', async () => {
    const { outcome } = await runThroughRunner(ping, { target: '127.0.0.1', count: 1000 });
    expect(outcome).toMatchObject({ status: 'failed', error: { code: 'VALIDATION_ERROR' } });
  });
});
