import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkNmapParams, type NmapParams, NMAP_SCRIPTS, nmapTool } from './definition';
import { checkPortSpec, isValidPortSpec } from './ports';
import { buildNmapArgv, EMITTED_OPTIONS, FIXED_OPTIONS } from './executor';

// Never executed: these tests only build argv and check parameters, so any address string is fine here.
const v4 = { target: '10.0.0.5', address: '10.0.0.5', family: 4 as const };
const base = (over: Partial<NmapParams> = {}): NmapParams => ({ ...nmapTool.params.parse({ target: '10.0.0.5' }), ...over });

describe('port spec', () => {
  it.each(['22', '22,80,443', '22,80,443,8000-8100', '1-65535', '1', '65535', '1-2'])('accepts %s', (spec) => {
    expect(isValidPortSpec(spec)).toBe(true);
  });

  it.each([
    '',
    '0',
    '65536',
    '80-80',
    '100-90',
    '022',
    '22,',
    ',22',
    '22,,80',
    '1-2-3',
    '-80',
    '80-',
    'T:80',
    'U:53',
    '[1-1024]',
    'http',
    '22 80',
    '22;id',
    '-oN',
    '--styles=/x',
    '80\n-iL',
    '٣',
    '８０',
    '1e3',
    '0x50',
    '99999999',
  ])('refuses %j', (spec) => {
    expect(isValidPortSpec(spec)).toBe(false);
  });

  it('bounds the number of entries and counts the ports', () => {
    const entries = Array.from({ length: 64 }, (_, i) => String(i + 1));
    expect(checkPortSpec(entries.join(','))).toEqual({ ok: true, entries: 64, ports: 64 });
    expect(checkPortSpec([...entries, '65'].join(','))).toMatchObject({ ok: false });
    expect(checkPortSpec('20-25,80')).toEqual({ ok: true, entries: 2, ports: 7 });
  });

  it('never accepts a spec that could be read as an option', () => {
    fc.assert(fc.property(fc.string(), (s) => !isValidPortSpec(s) || /^[1-9]/.test(s)));
  });
});

describe('parameter schema', () => {
  it('fills the defaults of the design: connect scan, T4, no scripts', () => {
    expect(base()).toEqual({ target: '10.0.0.5', scanType: 'connect', timing: 'T4', serviceDetection: false, osDetection: false, scripts: [] });
  });

  it.each([
    { ports: '22;id' },
    { ports: '80-' },
    { topPorts: 0 },
    { topPorts: 1001 },
    { timing: 'T5' },
    { scanType: 'ack' },
    { scripts: ['http-slowloris'] },
    { scripts: ['smb-vuln-ms17-010'] },
    { scripts: ['../../tmp/x'] },
    { scripts: ['banner', 'http-title', 'http-headers', 'ssl-cert', 'ssh-hostkey', 'http-methods', 'ftp-syst', 'smtp-commands', 'banner'] },
    { hostTimeoutSec: 5 },
    { timeoutSec: 1801 },
    { target: '-iL /etc/passwd' },
  ])('refuses %j', (extra) => {
    expect(nmapTool.params.safeParse({ target: '10.0.0.5', ...extra }).success).toBe(false);
  });

  it('lists no exploit, dos or malware script', () => {
    for (const categories of Object.values(NMAP_SCRIPTS)) {
      expect(categories.filter((c: string) => ['exploit', 'dos', 'malware'].includes(c))).toEqual([]);
    }
  });

  it('has the policy of the design', () => {
    expect(nmapTool.policy).toMatchObject({ binary: 'nmap', targetField: 'target', allowCidr: true, defaultTimeoutSec: 600, maxTimeoutSec: 1800 });
  });
});

describe('checkParams gating', () => {
  const ctx = (allowIntrusive: boolean, privileged: boolean) => ({ allowIntrusive, privileged });
  const contexts = [ctx(false, false), ctx(false, true), ctx(true, false), ctx(true, true)];

  it.each([
    { over: {}, allowed: [true, true, true, true] },
    { over: { scanType: 'syn' as const }, allowed: [false, false, false, true] },
    { over: { scanType: 'udp' as const }, allowed: [false, false, false, true] },
    { over: { osDetection: true }, allowed: [false, false, false, true] },
    { over: { serviceDetection: true, scripts: ['banner', 'http-title', 'ssl-cert'] as NmapParams['scripts'] }, allowed: [true, true, true, true] },
    { over: { scripts: ['ssl-enum-ciphers'] as NmapParams['scripts'] }, allowed: [false, false, true, true] },
    { over: { scripts: ['ftp-anon'] as NmapParams['scripts'] }, allowed: [false, false, true, true] },
    { over: { scripts: ['banner', 'http-enum'] as NmapParams['scripts'] }, allowed: [false, false, true, true] },
  ])('$over → allowed for (intrusive, privileged) = ff, ft, tf, tt: $allowed', ({ over, allowed }) => {
    const p = base(over);
    contexts.forEach((c, i) => {
      const refusal = checkNmapParams(p, c);
      if (allowed[i]) expect(refusal).toBeUndefined();
      else expect(refusal).toMatchObject({ code: 'FORBIDDEN', recoverySuggestion: expect.any(String) as unknown });
    });
  });

  it('refuses ports and topPorts together as a validation error', () => {
    expect(checkNmapParams(base({ ports: '22', topPorts: 10 }), ctx(true, true))).toMatchObject({ code: 'VALIDATION_ERROR' });
  });

  it('is reachable through the definition with untyped parameters, as the API and runner call it', () => {
    expect(nmapTool.policy.checkParams({ target: '10.0.0.5', scanType: 'syn' }, ctx(false, true))).toMatchObject({ code: 'FORBIDDEN' });
    expect(nmapTool.policy.checkParams({ target: '10.0.0.5' }, ctx(false, false))).toBeUndefined();
  });
});

describe('nmap argv', () => {
  it('starts with the fixed options and ends with -- and the address', () => {
    expect(buildNmapArgv(base(), v4)).toEqual([...FIXED_OPTIONS, '-sT', '--top-ports', '100', '-T4', '--', '10.0.0.5']);
  });

  it('maps every typed option', () => {
    const p = base({
      scanType: 'syn',
      osDetection: true,
      ports: '22,80,8000-8100',
      timing: 'T2',
      serviceDetection: true,
      scripts: ['banner', 'ssl-cert', 'banner'],
      hostTimeoutSec: 60,
    });
    expect(buildNmapArgv(p, { target: 'fd00::/120', address: 'fd00::/120', family: 6 })).toEqual([
      ...FIXED_OPTIONS,
      '-6',
      '-sS',
      '-O',
      // The sandbox gives the job CAP_NET_RAW as an unprivileged user: nmap is told, since it goes by uid 0 alone.
      '--privileged',
      '-p',
      '22,80,8000-8100',
      '-T2',
      '-sV',
      '--script',
      'banner,ssl-cert',
      '--host-timeout',
      '60s',
      '--',
      'fd00::/120',
    ]);
  });

  it('emits no option outside its allowlist, and nothing from the caller but the address, ports and script names', () => {
    const scriptNames = Object.keys(NMAP_SCRIPTS) as NmapParams['scripts'];
    const portEntry = fc.oneof(
      fc.integer({ min: 1, max: 65535 }).map(String),
      fc
        .tuple(fc.integer({ min: 1, max: 65534 }), fc.integer({ min: 1, max: 65535 }))
        .filter(([a, b]) => a < b)
        .map(([a, b]) => `${a}-${b}`),
    );
    const paramsArb = fc.record({
      scanType: fc.constantFrom('connect' as const, 'syn' as const, 'udp' as const),
      osDetection: fc.boolean(),
      serviceDetection: fc.boolean(),
      timing: fc.constantFrom('T0' as const, 'T1' as const, 'T2' as const, 'T3' as const, 'T4' as const),
      scripts: fc.subarray(scriptNames, { maxLength: 8 }),
      ports: fc.option(
        fc.array(portEntry, { minLength: 1, maxLength: 64 }).map((e) => e.join(',')),
        { nil: undefined },
      ),
      topPorts: fc.option(fc.integer({ min: 1, max: 1000 }), { nil: undefined }),
      hostTimeoutSec: fc.option(fc.integer({ min: 10, max: 1800 }), { nil: undefined }),
    });
    fc.assert(
      fc.property(paramsArb, fc.constantFrom(v4, { target: 'fd00::5', address: 'fd00::5', family: 6 as const }), (extra, t) => {
        const p: NmapParams = { target: t.target, ...extra };
        const argv = buildNmapArgv(p, t);
        const dashdash = argv.indexOf('--');
        expect(dashdash).toBe(argv.length - 2);
        expect(argv.slice(0, FIXED_OPTIONS.length)).toEqual(FIXED_OPTIONS);
        for (const token of argv.slice(0, dashdash)) {
          if (token.startsWith('-') && token !== '-') expect(EMITTED_OPTIONS.has(token)).toBe(true);
        }
        expect(argv.at(-1)).toBe(t.address);
      }),
      { numRuns: 300 },
    );
  });

  it('refuses to build argv from a port spec the schema would have refused', () => {
    expect(() => buildNmapArgv({ ...base(), ports: '80 -iL /etc/passwd' }, v4)).toThrow(/port spec/);
  });
});
