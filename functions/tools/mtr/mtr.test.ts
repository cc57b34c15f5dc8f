import { describe, expect, it } from 'vitest';
import { mtrTool } from './definition';
import { runThroughRunner } from '../../../test/helpers/runner-harness';
import type { SpawnResult, Executor } from '../../shared/tool/executor';
import { mtrExecutor } from './executor';
import { parseMtrJson } from './parse';

const mtr = mtrExecutor as unknown as Executor<never>;
const settings = { allowIntrusive: false, privileged: false, httpMaxRedirects: 0 };
const v4 = { target: '10.0.0.5', address: '10.0.0.5', family: 4 as const };
const params = { target: '10.0.0.5', cycles: 5, maxHops: 30, waitSec: 2 };
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
const report = (hubs: unknown[]): string => JSON.stringify({ report: { mtr: { src: 'vm', dst: '10.0.0.5', tos: 0, tests: 3 }, hubs } });

// Captured on this host: mtr 0.95 (mtr-tiny, jansson), `mtr -n -6 -j -c 2 -- ::1`.
const CAPTURED_V6 = `{
    "report": {
        "mtr": { "src": "vm", "dst": "::1", "tos": 0, "tests": 2, "psize": "64", "bitpattern": "0x00" },
        "hubs": [
            { "count": 1, "host": "::1", "Loss%": 0.0, "Snt": 2, "Last": 0.068, "Avg": 0.073, "Best": 0.068, "Wrst": 0.079, "StDev": 0.007 }
        ]
    }
}
`;

describe('parseMtrJson', () => {
  it('reads the captured ::1 report', () => {
    expect(parseMtrJson(CAPTURED_V6, { target: '::1', address: '::1', family: 6 })).toEqual({
      target: '::1',
      address: '::1',
      reachedDestination: true,
      hops: [{ hop: 1, address: '::1', lossPercent: 0, sent: 2, lastMs: 0.068, avgMs: 0.073, bestMs: 0.068, worstMs: 0.079, stdevMs: 0.007 }],
    });
  });

  it('reads hops that never answered, partial loss, and the string numbers of builds without jansson', () => {
    const r = parseMtrJson(
      report([
        { count: '1', host: '10.9.0.1', 'Loss%': '0.00', Snt: '3', Last: '0.41', Avg: '0.40', Best: '0.39', Wrst: '0.41', StDev: '0.01' },
        { count: 2, host: '???', 'Loss%': 100.0, Snt: 3, Last: 0.0, Avg: 0.0, Best: 0.0, Wrst: 0.0, StDev: 0.0 },
        { count: 3, host: '10.0.0.5', 'Loss%': 33.3, Snt: 3, Last: 1.2, Avg: 1.1, Best: 1.0, Wrst: 1.2, StDev: 0.1 },
      ]),
      v4,
    );
    expect(r?.hops.map((h) => [h.hop, h.address, h.lossPercent, h.avgMs])).toEqual([
      [1, '10.9.0.1', 0, 0.4],
      [2, null, 100, null],
      [3, '10.0.0.5', 33.3, 1.1],
    ]);
    expect(r?.reachedDestination).toBe(true);
  });

  it('drops what it cannot trust and keeps the result within the schema', () => {
    const r = parseMtrJson(
      report([
        { count: 1, host: '\x1b]0;pwned\x07evil.example', 'Loss%': 0, Snt: 1, Last: 1, Avg: 1, Best: 1, Wrst: 1, StDev: 0 },
        { count: 1, host: '10.0.0.6', 'Loss%': 0, Snt: 1 },
        { count: 31, host: '10.0.0.7', 'Loss%': 0, Snt: 1 },
        { count: 2, host: '10.0.0.8', 'Loss%': -5, Snt: 1 },
        { count: 3, host: '10.0.0.9', 'Loss%': 250, Snt: 1, Last: 'NaN' },
      ]),
      v4,
    );
    expect(r?.hops.map((h) => [h.hop, h.address, h.lossPercent])).toEqual([
      [1, null, 0],
      [3, '10.0.0.9', 100],
    ]);
    expect(r?.reachedDestination).toBe(false);
    expect(() => mtrTool.result.parse({ ...r, cycles: 1, truncated: false })).not.toThrow();
  });

  it('treats an empty hop list as a result and anything that is not a report as none', () => {
    expect(parseMtrJson(report([]), v4)).toMatchObject({ hops: [], reachedDestination: false });
    for (const junk of ['', 'Start: 2026\nHOST: vm Loss%', '{"report":{}}', '[1]', 'null']) expect(parseMtrJson(junk, v4)).toBeUndefined();
  });
});

describe('mtr argv and parse outcomes', () => {
  it('builds a JSON report run from typed parameters only, address after --', () => {
    const argv = mtrExecutor.argv(params, v4, settings);
    expect(argv).toEqual(['-n', '-4', '--json', '-o', 'LSNABWV', '-c', '5', '-m', '30', '-G', '2', '--', '10.0.0.5']);
    for (const banned of ['-F', '-y', '-z', '-r', '-t', '-i']) expect(argv).not.toContain(banned);
    expect(mtrExecutor.argv(params, { target: 'fd00::5', address: 'fd00::5', family: 6 }, settings).slice(0, 2)).toEqual(['-n', '-6']);
  });

  it('bounds the parameters in the schema', () => {
    for (const bad of [{ cycles: 0 }, { cycles: 11 }, { maxHops: 31 }, { waitSec: 6 }, { target: '10.0.0.5;id' }]) {
      expect(mtrTool.params.safeParse({ target: '10.0.0.5', ...bad }).success).toBe(false);
    }
  });

  it('fails a run without a report even when mtr exits 0, with the first stderr line sanitized', () => {
    const r = mtrExecutor.parse(spawned({ exitCode: 0, stderr: 'mtr: Failed to resolve host: x\u202e: Name or service not known\n' }), params, v4);
    expect(r).toMatchObject({
      ok: false,
      error: { code: 'EXECUTION_ERROR', message: 'mtr failed: mtr: Failed to resolve host: x: Name or service not known' },
    });
    const noPrivilege = mtrExecutor.parse(spawned({ exitCode: 1, stderr: 'mtr-packet: Failure to open IPv4 sockets: Permission denied\n' }), params, v4);
    expect(noPrivilege).toMatchObject({ ok: false, error: { message: 'mtr failed: mtr-packet: Failure to open IPv4 sockets: Permission denied' } });
  });
});

describe('mtr through the runner (real binary, loopback)', () => {
  it('probes 127.0.0.1 for 2 cycles: one hop, no loss', async () => {
    const { outcome } = await runThroughRunner(mtr, { target: '127.0.0.1', cycles: 2, waitSec: 1 });
    expect(outcome.status).toBe('succeeded');
    if (outcome.status !== 'succeeded') return;
    const result = mtrTool.result.parse(outcome.result);
    expect(result).toMatchObject({ address: '127.0.0.1', cycles: 2, reachedDestination: true, truncated: false });
    expect(result.hops).toEqual([expect.objectContaining({ hop: 1, address: '127.0.0.1', lossPercent: 0, sent: 2 })]);
    expect(result.hops[0]?.avgMs).toBeTypeOf('number');
  });

  it('refuses loopback when the runner does not allow it, before spawning', async () => {
    const { outcome } = await runThroughRunner(mtr, { target: '127.0.0.1', cycles: 1 }, { env: { MCP_ALLOW_LOOPBACK: 'false' } });
    expect(outcome).toMatchObject({ status: 'failed', error: { code: 'FORBIDDEN_TARGET' } });
    expect(outcome.resolvedAddress).toBeUndefined();
  });
});
