import { describe, expect, it } from 'vitest';
import { tracerouteTool } from './definition';
import { runThroughRunner } from '../../../test/helpers/runner-harness';
import type { SpawnResult, Executor } from '../../shared/tool/executor';
import { tracerouteExecutor } from './executor';
import { createHopProgress, parseTracerouteOutput } from './parse';

const traceroute = tracerouteExecutor as unknown as Executor<never>;
const settings = { allowIntrusive: false, privileged: false, httpMaxRedirects: 0 };
const v4 = { target: '10.0.0.5', address: '10.0.0.5', family: 4 as const };
const params = { target: '10.0.0.5', maxHops: 30, queries: 3, waitSec: 3, protocol: 'udp' as const };
const spawned = (o: Partial<SpawnResult>): SpawnResult => ({
  stdout: '',
  stderr: '',
  exitCode: 0,
  signal: null,
  timedOut: false,
  cancelled: false,
  stdoutTruncated: false,
  stderrTruncated: false,
  durationMs: 5,
  ...o,
});

// Captured on this host: traceroute 2.1.2 (Debian), `traceroute -n -4|-6 -m 5 -q 3 -w 1 -- <loopback>`.
const CAPTURED_V4 = 'traceroute to 127.0.0.1 (127.0.0.1), 5 hops max, 60 byte packets\n 1  127.0.0.1  0.734 ms  0.667 ms  0.562 ms\n';
const CAPTURED_V6 = 'traceroute to ::1 (::1), 5 hops max, 80 byte packets\n 1  ::1  0.072 ms  0.005 ms  0.005 ms\n';

const MULTI_HOP = [
  'traceroute to 10.0.0.5 (10.0.0.5), 30 hops max, 60 byte packets',
  ' 1  10.9.0.1  0.412 ms  0.388 ms  0.360 ms',
  ' 2  10.1.0.1  1.102 ms 10.1.0.9  1.350 ms *',
  ' 3  * * *',
  ' 4  * 10.2.0.1  3.5 ms  3.6 ms',
  // A hop number past 9 loses its leading space ("%2u ").
  '10  10.0.0.5  2.001 ms !H  2.120 ms !H  *',
].join('\n');

describe('parseTracerouteOutput', () => {
  it('reads the captured IPv4 and IPv6 loopback runs as one hop that reached the target', () => {
    expect(parseTracerouteOutput(CAPTURED_V4, { target: '127.0.0.1', address: '127.0.0.1', family: 4 }, 5, 3)).toEqual({
      target: '127.0.0.1',
      address: '127.0.0.1',
      maxHops: 5,
      reachedDestination: true,
      hops: [{ ttl: 1, timeouts: 0, probes: [0.734, 0.667, 0.562].map((rttMs) => ({ address: '127.0.0.1', rttMs, annotation: null })) }],
    });
    // The pinned spelling may differ from traceroute's: the addresses are compared, not the strings.
    const v6 = parseTracerouteOutput(CAPTURED_V6, { target: '0:0::1', address: '0:0:0::1', family: 6 }, 5, 3);
    expect(v6?.reachedDestination).toBe(true);
    expect(v6?.hops[0]?.probes[2]).toEqual({ address: '::1', rttMs: 0.005, annotation: null });
  });

  it('keeps timeouts, several addresses per hop and ICMP flags apart', () => {
    const r = parseTracerouteOutput(MULTI_HOP, v4, 30, 3);
    expect(r?.hops.map((h) => [h.ttl, h.timeouts])).toEqual([
      [1, 0],
      [2, 1],
      [3, 3],
      [4, 1],
      [10, 1],
    ]);
    expect(r?.hops[1]?.probes.map((p) => p.address)).toEqual(['10.1.0.1', '10.1.0.9', null]);
    expect(r?.hops[3]?.probes).toEqual([
      { address: null, rttMs: null, annotation: null },
      { address: '10.2.0.1', rttMs: 3.5, annotation: null },
      { address: '10.2.0.1', rttMs: 3.6, annotation: null },
    ]);
    expect(r?.hops[4]?.probes[0]).toEqual({ address: '10.0.0.5', rttMs: 2.001, annotation: '!H' });
    expect(r?.reachedDestination).toBe(true);
  });

  it('treats a run where nothing answers as a result, and no header as no result', () => {
    const silent = 'traceroute to 10.0.0.5 (10.0.0.5), 2 hops max, 60 byte packets\n 1  * * *\n 2  * * *\n';
    expect(parseTracerouteOutput(silent, v4, 2, 3)).toMatchObject({
      reachedDestination: false,
      hops: [
        { ttl: 1, timeouts: 3 },
        { ttl: 2, timeouts: 3 },
      ],
    });
    expect(parseTracerouteOutput('', v4, 30, 3)).toBeUndefined();
  });

  it('drops what it cannot trust: non-address tokens, extra probes, TTLs out of order or past the bound', () => {
    const hostile =
      'traceroute to 10.0.0.5 (10.0.0.5), 3 hops max\n 2  \x1b[31mevil\x1b[0m 10.0.0.7  1 ms  2 ms  3 ms !\u202eX  4 ms\n 1  10.0.0.8  1 ms\n 9  10.0.0.9  1 ms\n';
    const r = parseTracerouteOutput(hostile, v4, 3, 3);
    expect(r?.hops).toHaveLength(1);
    expect(r?.hops[0]?.probes).toHaveLength(3);
    expect(r?.hops[0]?.probes.every((p) => p.address === '10.0.0.7')).toBe(true);
    expect(r?.hops[0]?.probes[2]?.annotation).toBe('!X');
    expect(() => tracerouteTool.result.parse({ ...r, protocol: 'udp', truncated: false })).not.toThrow();
  });
});

describe('traceroute progress', () => {
  it('reports each hop once, across chunks that split lines and numbers', () => {
    const next = createHopProgress(30);
    const chunks = [
      'traceroute to 10.0.0.5 (10.0.0.5), 30 hops max',
      '\n 1  10.9.0.1  0.4 ms',
      '  0.3 ms\n',
      ' 2  *',
      ' *\n 3',
      ' ',
      '\n',
      '1',
      '2  10.0.0.5  1 ms',
    ];
    expect(chunks.map(next)).toEqual([
      undefined,
      { progress: 1, total: 30, message: 'hop 1/30' },
      undefined,
      { progress: 2, total: 30, message: 'hop 2/30' },
      undefined,
      { progress: 3, total: 30, message: 'hop 3/30' },
      undefined,
      undefined,
      { progress: 12, total: 30, message: 'hop 12/30' },
    ]);
  });

  it('keeps separate state for concurrent jobs', () => {
    const a = tracerouteExecutor.createProgress?.({ ...params });
    const b = tracerouteExecutor.createProgress?.({ ...params, maxHops: 10 });
    expect(a?.('traceroute to x (x)\n 1')).toBeUndefined();
    expect(b?.('traceroute to x (x)\n 4  *')).toMatchObject({ progress: 4, total: 10 });
    expect(a?.('  * *\n')).toMatchObject({ progress: 1, total: 30 });
  });
});

describe('traceroute argv and policy', () => {
  it('builds argv from typed parameters only: -n, family, method, bounds, address after --', () => {
    expect(tracerouteExecutor.argv(params, v4, settings)).toEqual(['-n', '-4', '-m', '30', '-q', '3', '-w', '3', '--', '10.0.0.5']);
    const v6 = { target: 'fd00::5', address: 'fd00::5', family: 6 as const };
    expect(tracerouteExecutor.argv({ ...params, protocol: 'icmp', maxHops: 5, queries: 1, waitSec: 0.5 }, v6, settings)).toEqual([
      '-n',
      '-6',
      '-I',
      '-m',
      '5',
      '-q',
      '1',
      '-w',
      '0.5',
      '--',
      'fd00::5',
    ]);
    const tcp = tracerouteExecutor.argv({ ...params, protocol: 'tcp' }, v4, settings);
    expect(tcp).toContain('-T');
    for (const banned of ['-A', '-g', '-s', '-i']) expect(tcp).not.toContain(banned);
  });

  it('gates raw-socket methods on a privileged runner', () => {
    const check = tracerouteTool.policy.checkParams;
    const matrix = (['udp', 'icmp', 'tcp'] as const).flatMap((protocol) =>
      [false, true].map((privileged) => [protocol, privileged, check({ ...params, protocol }, { allowIntrusive: false, privileged })?.code ?? 'ok']),
    );
    expect(matrix).toEqual([
      ['udp', false, 'ok'],
      ['udp', true, 'ok'],
      ['icmp', false, 'FORBIDDEN'],
      ['icmp', true, 'ok'],
      ['tcp', false, 'FORBIDDEN'],
      ['tcp', true, 'ok'],
    ]);
  });

  it('bounds the parameters in the schema', () => {
    for (const bad of [{ maxHops: 31 }, { queries: 4 }, { waitSec: 6 }, { protocol: 'raw' }, { target: '10.0.0.0/24 -A' }]) {
      expect(tracerouteTool.params.safeParse({ target: '10.0.0.5', ...bad }).success).toBe(false);
    }
  });
});

describe('traceroute parse outcomes', () => {
  it('fails an unusable run with the first stderr line, sanitized', () => {
    const r = tracerouteExecutor.parse(
      spawned({ exitCode: 1, stderr: '\x1b[2JYou do not have enough privileges to use this traceroute method.\nsocket: Operation not permitted\n' }),
      params,
      v4,
    );
    expect(r).toMatchObject({
      ok: false,
      error: { code: 'EXECUTION_ERROR', message: 'traceroute failed: You do not have enough privileges to use this traceroute method.' },
    });
  });

  it('returns what was traced so far when the deadline stops it', () => {
    const r = tracerouteExecutor.parse(spawned({ exitCode: null, timedOut: true, stdout: MULTI_HOP.split('\n').slice(0, 3).join('\n') }), params, v4);
    expect(r.ok && r.result).toMatchObject({ protocol: 'udp', reachedDestination: false, truncated: false });
  });
});

describe('traceroute through the runner (real binary, loopback)', () => {
  it('reaches 127.0.0.1 in one hop and reports progress', async () => {
    const { outcome, progress } = await runThroughRunner(traceroute, { target: '127.0.0.1', maxHops: 5, queries: 2, waitSec: 1 });
    expect(outcome.status).toBe('succeeded');
    if (outcome.status !== 'succeeded') return;
    expect(tracerouteTool.result.parse(outcome.result)).toMatchObject({ address: '127.0.0.1', reachedDestination: true, hops: [{ ttl: 1, timeouts: 0 }] });
    expect(progress).toEqual([{ progress: 1, total: 5, message: 'hop 1/5' }]);
  });

  it('traces ::1 over IPv6', async () => {
    const { outcome } = await runThroughRunner(traceroute, { target: '::1', maxHops: 3, queries: 1, waitSec: 1 });
    expect(outcome).toMatchObject({ status: 'succeeded', result: { reachedDestination: true, hops: [{ ttl: 1, probes: [{ address: '::1' }] }] } });
  });

  it.runIf(process.getuid?.() === 0)('runs the ICMP method on a privileged runner', async () => {
    const { outcome } = await runThroughRunner(traceroute, { target: '127.0.0.1', maxHops: 3, queries: 1, waitSec: 1, protocol: 'icmp' });
    expect(outcome).toMatchObject({ status: 'succeeded', result: { protocol: 'icmp', reachedDestination: true } });
  });

  it('refuses loopback when the runner does not allow it, and 0.0.0.0 always, before spawning', async () => {
    for (const target of ['127.0.0.1', '0.0.0.0']) {
      const { outcome, progress } = await runThroughRunner(traceroute, { target, maxHops: 2 }, { env: { MCP_ALLOW_LOOPBACK: 'false' } });
      expect(outcome).toMatchObject({ status: 'failed', error: { code: 'FORBIDDEN_TARGET' } });
      expect(outcome.resolvedAddress).toBeUndefined();
      expect(progress).toEqual([]);
    }
  });
});
