import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { executors } from '../../functions/tools/executors';
import { type BinaryExecutor, type Executor, type ToolSettings, undeclaredFlag } from '../../functions/shared/tool/executor';
import { runThroughRunner } from '../helpers/runner-harness';
import { tempDir } from '../helpers/temp-dir';

// Nothing in this file runs a real diagnostic binary: argv builders are pure, and the runner path below
// resolves its binaries from a directory of fakes that only record how they were called.

const binaryTools = [...executors.values()].filter((e): e is Extract<Executor<never>, { kind: 'binary' }> => e.kind === 'binary');
const settings: ToolSettings = { allowIntrusive: true, privileged: true, httpMaxRedirects: 0, dnsResolver: { address: '10.0.0.53', port: 53 } };
const target = { target: '10.0.0.5', address: '10.0.0.5', family: 4 as const };
const target6 = { target: 'fd00::5', address: 'fd00::5', family: 6 as const };

/** Flags each builder may emit, written from docs/security.md, "Arguments", independently of the builders. */
const ALLOWED_FLAGS: Record<string, ReadonlySet<string>> = {
  ping: new Set(['-n', '-4', '-6', '-e', '-c', '-i', '-s', '-W', '-w', '--']),
  traceroute: new Set(['-n', '-4', '-6', '-I', '-T', '-m', '-q', '-w', '--']),
  mtr: new Set(['-n', '-4', '-6', '--json', '-o', '-c', '-m', '-G', '--']),
  nmap: new Set([
    '-n',
    '-6',
    '-oX',
    '-',
    '--no-stylesheet',
    '--stats-every',
    '--datadir',
    '-sT',
    '-sS',
    '-sU',
    '-O',
    '-p',
    '--top-ports',
    '-T0',
    '-T1',
    '-T2',
    '-T3',
    '-T4',
    '-sV',
    '--script',
    '--host-timeout',
    '--max-retries',
    // Only with -sS, -sU or -O: the job has CAP_NET_RAW but not uid 0 (docs/security.md, "Sandbox").
    '--privileged',
    '--',
  ]),
  dig: new Set([
    '-r',
    '-4',
    '-6',
    '-p',
    '-c',
    '-t',
    '-q',
    '-x',
    '+time',
    '+tries',
    '+nosearch',
    '+nocmd',
    '+noadditional',
    '+nomultiline',
    '+nottlunits',
    '+noidnout',
  ]),
};
const NEVER = [
  '-iL',
  '-oN',
  '-oG',
  '-oA',
  '-oS',
  '--resume',
  '--stylesheet',
  '-iR',
  '-D',
  '-S',
  '-e',
  '--proxies',
  '--spoof-mac',
  '--servicedb',
  '--versiondb',
  '--excludefile',
  '-f',
  '-l',
  '-b',
  '-A',
  '-g',
  '-F',
  '-y',
  '-z',
  '-k',
  '+trace',
  '+nssearch',
  '+https',
  '+tls',
];

/** Flags on the never-list that mean something harmless for one tool: ping's -e is its ICMP identifier (nmap's is an interface). */
const NEVER_EXCEPT: Record<string, readonly string[]> = { ping: ['-e'] };

const hostile = fc.constantFrom(
  '-oN',
  '/etc/passwd',
  '--script=evil',
  '+trace',
  '@8.8.8.8',
  '$(id)',
  ';id',
  '-iL',
  '--styles=/x',
  '22,80',
  '1-1024',
  'T4',
  'T5',
  'connect',
  'syn',
  'udp',
  'icmp',
  'tcp',
  'A',
  'MX',
  'AXFR',
  'banner',
  'http-title',
  'vuln',
  '-1',
);
const junk = fc.oneof(
  hostile,
  fc.string({ maxLength: 12 }),
  fc.integer({ min: -5, max: 70_000 }),
  fc.double({ noNaN: true }),
  fc.boolean(),
  fc.array(hostile, { maxLength: 3 }),
);

function paramsArbitrary(e: BinaryExecutor<never>): fc.Arbitrary<Record<string, unknown>> {
  const keys = Object.keys(e.definition.params.shape);
  // Mostly absent (defaults apply), sometimes hostile: enough combinations parse for the argv check to bite.
  const value = fc.oneof({ arbitrary: fc.constant(undefined), weight: 4 }, { arbitrary: junk, weight: 1 });
  return fc.record(Object.fromEntries(keys.map((k) => [k, value])), { requiredKeys: [] });
}

describe('property: generated parameters either fail the schema or build a safe argv', () => {
  it.each(binaryTools.map((e) => [e.definition.name, e] as const))('%s', (name, executor) => {
    const allowed = ALLOWED_FLAGS[name];
    expect(allowed, `no flag allowlist for ${name}`).toBeDefined();
    let built = 0;
    fc.assert(
      fc.property(paramsArbitrary(executor), (raw) => {
        const parsed = executor.definition.params.safeParse({ ...raw, [executor.definition.policy.targetField]: '10.0.0.5' });
        if (!parsed.success) return true;
        built += 1;
        const argv = executor.argv(parsed.data as never, target, settings);
        // The runner refuses what the executor did not declare: the declaration must cover every family.
        for (const t of [target, target6]) expect(undeclaredFlag(executor.argv(parsed.data as never, t, settings), executor.flags)).toBeUndefined();
        for (const token of argv) {
          if (token.startsWith('-') || token.startsWith('+')) {
            const flag = token.startsWith('+') ? (token.split('=')[0] ?? token) : token;
            if (!allowed?.has(flag)) return false;
          }
          if (NEVER.some((n) => token === n.trim()) && !NEVER_EXCEPT[name]?.includes(token)) return false;
          if (token.startsWith('@') && token !== '@10.0.0.53') return false;
        }
        // The target reaches the binary once, as the pinned literal, last.
        return argv.filter((t) => t.includes('10.0.0.5') && t !== '@10.0.0.53').length === 1 && argv[argv.length - 1] === '10.0.0.5';
      }),
      { numRuns: 2000 },
    );
    expect(built).toBeGreaterThan(0);
  });
});

/** A directory of fake binaries that append their name and argv to one log, and a way to read it. */
function fakeBinaries(): { dir: string; calls: () => string[] } {
  const dir = tempDir('netdiag-fakebin-');
  const log = join(dir, 'calls.log');
  writeFileSync(log, '');
  for (const name of ['ping', 'traceroute', 'mtr', 'nmap', 'dig']) {
    const file = join(dir, name);
    writeFileSync(file, `#!/bin/sh\nprintf '%s %s\\n' "${name}" "$*" >> '${log}'\n`);
    chmodSync(file, 0o755);
  }
  return {
    dir,
    calls: () =>
      readFileSync(log, 'utf8')
        .split('\n')
        .filter((l) => l.length > 0),
  };
}

const VECTORS = [
  ';id',
  '$(id)',
  '`id`',
  '|id',
  '&&id',
  '10.0.0.1\nid',
  '10.0.0.1\0',
  '-oN.lab.internal',
  '--styles=/x',
  '--excludef=/etc/hostname',
  '-iL /etc/passwd',
  '+trace',
  '@8.8.8.8',
  'host.ｌａｂ.internal',
  'xn--80ak6aa92e.lab.internal',
  'evil-lab.internal',
  'lab.internal.',
  '010.0.0.1',
  '0x0a000001',
  '167772161',
  '10.1',
  '::ffff:a00:1',
  '64:ff9b::a00:1',
  '2002:a00:1::',
  'fe80::1%eth0',
  '172.15.255.255',
  '172.32.0.0',
  '169.254.169.254',
  '100.64.0.1',
  '10.0.0.1/0',
  '10.0.0.0/21',
  '127.0.0.1',
  '0.0.0.0',
  '127.1',
  '0177.0.0.1',
];

describe('docs/security.md vectors through the runner: typed refusal, nothing spawned', () => {
  const fakes = fakeBinaries();
  // Loopback off: 127.0.0.1 and its odd spellings are among the vectors.
  const env = { NETDIAG_BINARY_DIRS: fakes.dir, NETDIAG_DNS_RESOLVER: '10.0.0.53', MCP_ALLOW_LOOPBACK: 'false' };

  it('would notice a spawn: a valid target reaches the fake binary', async () => {
    const ping = executors.get('ping') as Executor<never>;
    await runThroughRunner(ping, { target: '10.0.0.5', count: 1 }, { env });
    expect(fakes.calls()).toEqual([expect.stringMatching(/^ping -n -4 -e \d+ -c 1 -i 1 -s 56 -W 2 -w 3 -- 10\.0\.0\.5$/)]);
  });

  it.each(binaryTools.map((e) => [e.definition.name, e] as const))('%s refuses every vector', async (_name, executor) => {
    const before = fakes.calls().length;
    for (const vector of VECTORS) {
      const { outcome } = await runThroughRunner(executor as Executor<never>, { [executor.definition.policy.targetField]: vector }, { env });
      expect(outcome.status, vector).toBe('failed');
      if (outcome.status === 'failed') expect(['VALIDATION_ERROR', 'FORBIDDEN_TARGET'], vector).toContain(outcome.error.code);
    }
    expect(fakes.calls().length).toBe(before);
  });
});
