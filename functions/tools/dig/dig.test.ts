import { createSocket } from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRunnerConfig } from '../../../runner/src/config';
import { z } from 'zod';
import { DIG_RECORD_TYPES, digTool } from './definition';
import { type DnsServer, type LabRecord, startDnsServer } from '../../../test/helpers/dns-server';
import { runThroughRunner } from '../../../test/helpers/runner-harness';
import { digArgv, digExecutor, digTiming } from './executor';
import { noReplyReason, parseDigOutput } from './parse';
import type { Executor } from '../../shared/tool/executor';
import { renderDig } from './render';

const dig = digExecutor as unknown as Executor<never>;
const settings = (port: number, address = '127.0.0.1') => ({ dnsResolver: { address, port }, allowIntrusive: false, privileged: false, httpMaxRedirects: 0 });
const host = (name: string) => ({ target: name, address: name, family: 4 as const });

// Captured from dig 9.18.49 (Debian 12) against test/helpers/dns-server.ts, argv as digArgv builds it.
const tail = (proto = 'UDP') => [
  ';; Query time: 0 msec',
  `;; SERVER: 127.0.0.1#40913(127.0.0.1) (${proto})`,
  ';; WHEN: Wed Nov 25 20:24:42 UTC 2026',
  ';; MSG SIZE  rcvd: 134',
  '',
];
const head = (status: string, answers: number, authority: number, q: string) => [
  ';; Got answer:',
  `;; ->>HEADER<<- opcode: QUERY, status: ${status}, id: 58389`,
  `;; flags: qr aa rd; QUERY: 1, ANSWER: ${answers}, AUTHORITY: ${authority}, ADDITIONAL: 1`,
  ';; WARNING: recursion requested but not available',
  '',
  ';; OPT PSEUDOSECTION:',
  '; EDNS: version: 0, flags:; udp: 1232',
  ';; QUESTION SECTION:',
  q,
  '',
];
const TXT_OUT = [
  ...head('NOERROR', 1, 0, ';txt.lab.internal.\t\tIN\tTXT'),
  ';; ANSWER SECTION:',
  'txt.lab.internal.\t60\tIN\tTXT\t"v=spf1 -all" "evil \\027[31mred\\027[0m \\226\\128\\174oops \\"q\\" \\\\b\\009tab\\007bell h\\195\\169llo"',
  '',
  ...tail(),
].join('\n');
const NX_OUT = [
  ...head('NXDOMAIN', 0, 1, ';nope.lab.internal.\t\tIN\tA'),
  ';; AUTHORITY SECTION:',
  'lab.internal.\t\t3600\tIN\tSOA\tns1.lab.internal. hostmaster.lab.internal. 2024010101 3600 600 86400 300',
  '',
  ...tail(),
].join('\n');
const TIMEOUT_OUT =
  ';; communications error to 127.0.0.1#40501: timed out\n;; communications error to 127.0.0.1#40501: timed out\n;; no servers could be reached\n';

describe('parseDigOutput (captured dig 9.18 output)', () => {
  it('decodes TXT escapes, then strips ANSI, control and bidi characters', () => {
    const r = parseDigOutput(TXT_OUT);
    expect(r).toMatchObject({
      status: 'NOERROR',
      flags: ['qr', 'aa', 'rd'],
      answerCount: 1,
      question: { name: 'txt.lab.internal.', type: 'TXT' },
      queryTimeMs: 0,
    });
    expect(r?.server).toEqual({ address: '127.0.0.1', port: 40913, protocol: 'UDP' });
    expect(r?.answer).toEqual([
      { name: 'txt.lab.internal.', ttl: 60, class: 'IN', type: 'TXT', data: '"v=spf1 -all" "evil red oops \\"q\\" \\\\b tabbell héllo"' },
    ]);
  });

  it('reads NXDOMAIN with the zone SOA in the authority section', () => {
    const r = parseDigOutput(NX_OUT);
    expect(r).toMatchObject({ status: 'NXDOMAIN', answer: [], authorityCount: 1 });
    expect(r?.authority[0]).toMatchObject({
      name: 'lab.internal.',
      ttl: 3600,
      type: 'SOA',
      data: 'ns1.lab.internal. hostmaster.lab.internal. 2024010101 3600 600 86400 300',
    });
  });

  it('caps record counts and string lengths', () => {
    const many = Array.from({ length: 60 }, (_, i) => `r.lab.internal.\t60\tIN\tTXT\t"${'x'.repeat(3000)}${i}"`);
    const r = parseDigOutput([...head('NOERROR', 60, 0, ';r.lab.internal.\t\tIN\tTXT'), ';; ANSWER SECTION:', ...many, '', ...tail()].join('\n'));
    expect(r?.answer).toHaveLength(50);
    expect(r?.recordsDropped).toBe(true);
    expect(r?.answer[0]?.data).toHaveLength(1024);
    expect(r?.answer[0]?.data.endsWith('…')).toBe(true);
  });

  it('finds no reply in a timeout, and says why', () => {
    expect(parseDigOutput(TIMEOUT_OUT)).toBeUndefined();
    expect(noReplyReason(TIMEOUT_OUT)).toEqual({ server: '127.0.0.1#40501', reason: 'timed out' });
  });
});

describe('dig argv and parameters', () => {
  const FIXED = [
    '-r',
    '-4',
    '@127.0.0.1',
    '-p',
    '5353',
    '-c',
    'IN',
    '+time=4',
    '+tries=2',
    '+nosearch',
    '+nocmd',
    '+noadditional',
    '+nomultiline',
    '+nottlunits',
    '+noidnout',
  ];

  it('fixes server, port and options itself; the name only ever follows -q', () => {
    for (const name of ['web.lab.internal', '+trace', '@8.8.8.8', '-f/etc/passwd', '-x', '-y']) {
      expect(digArgv({ name, type: 'MX' }, host(name), settings(5353))).toEqual([...FIXED, '-t', 'MX', '-q', name]);
    }
  });

  it('uses -x for an address, -6 for an IPv6 resolver, and no argv without a resolver', () => {
    expect(digArgv({ name: '10.0.0.5', type: 'A' }, host('10.0.0.5'), settings(5353)).slice(-2)).toEqual(['-x', '10.0.0.5']);
    expect(digArgv({ name: 'a.lab.internal', type: 'A' }, host('a.lab.internal'), settings(53, 'fd00::53')).slice(1, 3)).toEqual(['-6', '@fd00::53']);
    const none = { allowIntrusive: false, privileged: false, httpMaxRedirects: 0 };
    expect(() => digArgv({ name: 'a.lab.internal', type: 'A' }, host('a.lab.internal'), none)).toThrow(/NETDIAG_DNS_RESOLVER/);
    expect(digExecutor.unavailable?.(none)).toMatch(/NETDIAG_DNS_RESOLVER/);
    expect(digExecutor.unavailable?.(settings(53, '999.1.1.1'))).toMatch(/NETDIAG_DNS_RESOLVER/);
    expect(() => digArgv({ name: 'a.lab.internal', type: 'A' }, host('a.lab.internal'), settings(53, '010.0.0.53'))).toThrow(/IP literal/);
  });

  it('converts to the JSON Schemas the tools list publishes, with the caps declared', () => {
    expect(z.toJSONSchema(digTool.params, { io: 'input' })).toMatchObject({ properties: { type: { enum: [...DIG_RECORD_TYPES], default: 'A' } } });
    expect(z.toJSONSchema(digTool.result, { io: 'output' })).toMatchObject({ properties: { answer: { maxItems: 50 }, authority: { maxItems: 20 } } });
  });

  it('bounds dig’s own deadline inside the runner’s', () => {
    expect(digTiming(1)).toEqual({ time: 1, tries: 1 });
    expect(digTiming(10)).toEqual({ time: 4, tries: 2 });
    expect(digTiming(30)).toEqual({ time: 5, tries: 2 });
  });

  it('refuses flags, servers and transfer types in the schema, and non-PTR types for an address', () => {
    for (const name of ['+trace', '@8.8.8.8', 'a;id', 'a b', '$(id)', 'x\n']) expect(digTool.params.safeParse({ name }).success).toBe(false);
    for (const type of ['AXFR', 'IXFR', 'ANY', 'a']) expect(digTool.params.safeParse({ name: 'a.lab.internal', type }).success).toBe(false);
    expect(digTool.policy.checkParams({ name: '10.0.0.5', type: 'MX' })).toMatchObject({ code: 'VALIDATION_ERROR' });
    expect(digTool.policy.checkParams({ name: '10.0.0.5', type: 'A' })).toBeUndefined();
    expect(digTool.policy.checkParams({ name: 'a.lab.internal', type: 'MX' })).toBeUndefined();
  });
});

const RECORDS: LabRecord[] = [
  {
    type: 'SOA',
    name: 'lab.internal',
    ttl: 3600,
    data: { mname: 'ns1.lab.internal', rname: 'hostmaster.lab.internal', serial: 1, refresh: 3600, retry: 600, expire: 86400, minimum: 300 },
  },
  { type: 'A', name: 'web.lab.internal', ttl: 300, data: '10.0.0.5' },
  { type: 'MX', name: 'mx.lab.internal', ttl: 300, data: { preference: 10, exchange: 'mail.lab.internal' } },
  { type: 'TXT', name: 'txt.lab.internal', ttl: 60, data: ['ok', 'a\x1b[31mred\x1b[0m\u202Eb\x07c\x00d\ne'] },
  { type: 'PTR', name: '7.0.0.127.in-addr.arpa', ttl: 300, data: 'web.lab.internal' },
  { type: 'TXT', name: 'big.lab.internal', ttl: 60, data: Array.from({ length: 30 }, (_, i) => `chunk-${i}-${'x'.repeat(100)}`) },
];

describe('dig through the runner (real binary, responder on 127.0.0.1)', () => {
  let srv: DnsServer;
  let env: Record<string, string>;
  beforeAll(async () => {
    srv = await startDnsServer(RECORDS);
    env = { NETDIAG_DNS_RESOLVER: `127.0.0.1:${srv.port}` };
  });
  afterAll(async () => srv.stop());
  const run = async (params: Record<string, unknown>) => (await runThroughRunner(dig, params, { env })).outcome;

  it('answers A from the configured resolver, which saw the query', async () => {
    const before = srv.queries.length;
    const outcome = await run({ name: 'web.lab.internal' });
    expect(outcome).toMatchObject({ status: 'succeeded', resolvedAddress: 'web.lab.internal' });
    if (outcome.status !== 'succeeded') return;
    expect(outcome.result).toMatchObject({
      status: 'NOERROR',
      reverse: false,
      server: { address: '127.0.0.1', port: srv.port, protocol: 'UDP' },
      truncated: false,
    });
    expect(outcome.result['answer']).toEqual([{ name: 'web.lab.internal.', ttl: 300, class: 'IN', type: 'A', data: '10.0.0.5' }]);
    expect(srv.queries.slice(before)).toEqual([{ name: 'web.lab.internal', type: 'A', transport: 'udp', from: '127.0.0.1' }]);
    expect(digTool.result.safeParse(outcome.result).success).toBe(true);
  });

  it('answers MX', async () => {
    const outcome = await run({ name: 'mx.lab.internal', type: 'MX' });
    expect(outcome).toMatchObject({ status: 'succeeded', result: { answer: [{ type: 'MX', data: '10 mail.lab.internal.' }] } });
  });

  it('sanitizes TXT data carrying ANSI, control and bidi characters', async () => {
    const outcome = await run({ name: 'txt.lab.internal', type: 'TXT' });
    expect(outcome).toMatchObject({ status: 'succeeded', result: { answer: [{ type: 'TXT', data: '"ok" "aredbcd e"' }] } });
    expect(JSON.stringify(outcome)).not.toMatch(/[\x00-\x08\x1b\x7f\u202a-\u202e]|\\u00(0|1b)/);
  });

  it('looks an allowed address up in reverse (PTR via -x)', async () => {
    const outcome = await run({ name: '127.0.0.7' });
    expect(outcome).toMatchObject({
      status: 'succeeded',
      result: { reverse: true, question: { name: '7.0.0.127.in-addr.arpa.', type: 'PTR' }, answer: [{ type: 'PTR', data: 'web.lab.internal.' }] },
    });
  });

  it('reports NXDOMAIN as a result, and a large answer over TCP', async () => {
    expect(await run({ name: 'nope.lab.internal' })).toMatchObject({
      status: 'succeeded',
      result: { status: 'NXDOMAIN', answer: [], authority: [{ type: 'SOA' }] },
    });
    expect(await run({ name: 'big.lab.internal', type: 'TXT' })).toMatchObject({
      status: 'succeeded',
      result: { server: { protocol: 'TCP' }, answerCount: 1 },
    });
    expect(srv.queries.at(-1)).toMatchObject({ name: 'big.lab.internal', transport: 'tcp' });
  });

  it('refuses names and addresses outside the policy before dig runs', async () => {
    const before = srv.queries.length;
    for (const name of ['web.example.com', 'evil-lab.internal', 'lab.internal', '8.8.8.8', '169.254.169.254']) {
      expect(await run({ name })).toMatchObject({ status: 'failed', error: { code: 'FORBIDDEN_TARGET' } });
    }
    expect(await run({ name: 'xn--80ak6aa92e.lab.internal' })).toMatchObject({ status: 'failed', error: { code: 'VALIDATION_ERROR' } });
    expect(srv.queries.length).toBe(before);
  });

  it('is not available, and never runs, without NETDIAG_DNS_RESOLVER', async () => {
    const config = loadRunnerConfig({ NETDIAG_API_URL: 'http://127.0.0.1:9', NETDIAG_RUNNER_TOKEN: 'harness-token-0123456789' });
    expect(digExecutor.unavailable?.(config.tools)).toMatch(/NETDIAG_DNS_RESOLVER/);
    const before = srv.queries.length;
    const { outcome } = await runThroughRunner(dig, { name: 'web.lab.internal' });
    expect(outcome).toMatchObject({ status: 'failed', error: { code: 'NOT_FOUND', message: expect.stringMatching(/dig is not configured/) } });
    expect(srv.queries.length).toBe(before);
  });

  it('fails with EXECUTION_ERROR when the resolver does not answer or refuses the connection', async () => {
    const silent = createSocket('udp4');
    await new Promise<void>((r) => silent.bind(0, '127.0.0.1', () => r()));
    const port = silent.address().port;
    const ask = async (p: number) =>
      (await runThroughRunner(dig, { name: 'web.lab.internal', timeoutSec: 4 }, { env: { NETDIAG_DNS_RESOLVER: `127.0.0.1:${p}` } })).outcome;
    try {
      expect(await ask(port)).toMatchObject({
        status: 'failed',
        error: { code: 'EXECUTION_ERROR', message: expect.stringMatching(/^No reply .* 127\.0\.0\.1#\d+: timed out/) },
      });
    } finally {
      await new Promise<void>((r) => silent.close(() => r()));
    }
    // The port is closed now: the kernel answers with port unreachable, which dig reports as connection refused.
    expect(await ask(port)).toMatchObject({ status: 'failed', error: { code: 'EXECUTION_ERROR', message: expect.stringMatching(/connection refused/) } });
  });
});

describe('renderDig', () => {
  it('prints a dig-like summary with answer lines', () => {
    const text = renderDig({
      name: 'mx.lab.internal',
      question: { name: 'mx.lab.internal.', type: 'MX' },
      status: 'NOERROR',
      flags: ['qr', 'aa'],
      answerCount: 1,
      queryTimeMs: 2,
      server: { address: '127.0.0.1', port: 5353, protocol: 'UDP' },
      answer: [{ name: 'mx.lab.internal.', ttl: 300, class: 'IN', type: 'MX', data: '10 mail.lab.internal.' }],
      authority: [],
      truncated: false,
    });
    expect(text).toBe(
      'dig mx.lab.internal. MX: status NOERROR, flags: qr aa; 2 ms from 127.0.0.1#5353 (UDP)\nanswer:\n  mx.lab.internal.\t300\tIN\tMX\t10 mail.lab.internal.',
    );
    expect(renderDig({ name: 'x.lab.internal', status: 'NXDOMAIN', answer: [], authority: [] })).toContain('the name does not exist');
  });
});
