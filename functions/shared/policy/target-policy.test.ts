import fc from 'fast-check';
import ipaddr from 'ipaddr.js';
import { describe, expect, it } from 'vitest';
import { AllowlistError, parseAllowlist } from './allowlist';
import { DEFAULT_ALLOWED_TARGETS } from './ranges';
import { TargetPolicy } from './target-policy';

// Validator-only tests: nothing here is executed or sent anywhere.
const lab = new TargetPolicy({ allowlist: parseAllowlist(DEFAULT_ALLOWED_TARGETS, false), maxHosts: 1024 });
const withLoopback = new TargetPolicy({ allowlist: parseAllowlist(DEFAULT_ALLOWED_TARGETS, true), maxHosts: 1024 });
const host = (raw: string, policy = lab) => policy.check(raw, { allowCidr: false });
const net = (raw: string, policy = lab) => policy.check(raw, { allowCidr: true });
const codeOf = (r: ReturnType<typeof host>): string => (r.ok ? 'OK' : r.refusal.code);

describe('accepted targets', () => {
  it.each(['10.0.0.1', '172.16.0.1', '172.31.255.255', '192.168.1.20', 'fd00::1', 'db1.lab.internal', 'a-b.c.lab.internal'])('accepts %s', (t) => {
    expect(host(t).ok).toBe(true);
  });
  it.each(['10.0.0.0/24', '10.0.0.0/22', '192.168.4.0/30', 'fd00::/118'])('accepts range %s', (t) => {
    expect(net(t).ok).toBe(true);
  });
});

describe('docs/security.md vectors are refused', () => {
  const vectors = [
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
    'lab.internal',
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
    '0.0.0.0',
    '127.0.0.1',
    '::1',
    '255.255.255.255',
    '224.0.0.1',
    'FD00::1',
    'fd00:0::1',
    '012.0.0.1',
    '10.0.0.256',
    '',
    'a'.repeat(254),
  ];
  it.each(vectors)('refuses %j', (v) => {
    const r = net(v);
    expect(r.ok).toBe(false);
  });

  it('says why, with the example of docs/design.md, "Errors" for a big range', () => {
    const r = net('10.0.0.0/20');
    expect(r).toMatchObject({
      ok: false,
      refusal: {
        code: 'VALIDATION_ERROR',
        reason: 'range_too_large',
        message: 'Network range too large: 4096 addresses (max: 1024).',
        recoverySuggestion: 'Use /22 or smaller prefix (max 1024 hosts).',
      },
    });
  });

  it('uses FORBIDDEN_TARGET for policy and VALIDATION_ERROR for malformed input', () => {
    expect(codeOf(host('172.32.0.0'))).toBe('FORBIDDEN_TARGET');
    expect(codeOf(host('169.254.169.254'))).toBe('FORBIDDEN_TARGET');
    expect(codeOf(host('127.0.0.1'))).toBe('FORBIDDEN_TARGET');
    expect(codeOf(host('::ffff:a00:1'))).toBe('FORBIDDEN_TARGET');
    expect(codeOf(host('010.0.0.1'))).toBe('VALIDATION_ERROR');
    expect(codeOf(host('-oN.lab.internal'))).toBe('VALIDATION_ERROR');
    expect(codeOf(host('10.0.0.0/24'))).toBe('VALIDATION_ERROR');
  });

  it('suggests the canonical spelling instead of normalising', () => {
    expect(host('FD00::1')).toMatchObject({ ok: false, refusal: { reason: 'non_canonical_ipv6', details: { canonical: 'fd00::1' } } });
    expect(net('10.0.0.1/24')).toMatchObject({ ok: false, refusal: { reason: 'host_bits_set', details: { suggested: '10.0.0.0/24' } } });
  });
});

describe('loopback needs its own opt-in', () => {
  it('is refused by default and allowed with allowLoopback', () => {
    expect(host('127.0.0.1').ok).toBe(false);
    expect(host('127.0.0.1', withLoopback).ok).toBe(true);
    expect(host('::1', withLoopback).ok).toBe(true);
  });
  it('still refuses 0.0.0.0 and metadata addresses with loopback on', () => {
    expect(host('0.0.0.0', withLoopback).ok).toBe(false);
    expect(host('169.254.169.254', withLoopback).ok).toBe(false);
  });
  it('rejects a loopback entry in MCP_ALLOWED_TARGETS without MCP_ALLOW_LOOPBACK, naming the key', () => {
    expect(() => parseAllowlist('127.0.0.0/8', false)).toThrow(/MCP_ALLOWED_TARGETS.*MCP_ALLOW_LOOPBACK/);
    expect(() => parseAllowlist('127.0.0.0/8', true)).not.toThrow();
  });
  it('rejects always-denied ranges in configuration', () => {
    expect(() => parseAllowlist('169.254.0.0/16', true)).toThrow(AllowlistError);
    expect(() => parseAllowlist('0.0.0.0/0', true)).toThrow(AllowlistError);
    expect(() => parseAllowlist('010.0.0.0/8', true)).toThrow(/not a canonical CIDR/);
  });
});

describe('property: anything accepted is canonical and allowed', () => {
  const inAllowed = (a: string): boolean => {
    const ip = ipaddr.parse(a);
    return ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fd00::/8'].some((c) => {
      const [n, p] = ipaddr.parseCIDR(c);
      return ip.kind() === n.kind() && ip.match(n, p);
    });
  };
  const octet = fc.oneof(
    fc.integer({ min: 0, max: 255 }).map(String),
    fc.integer({ min: 0, max: 0o377 }).map((n) => `0${n.toString(8)}`),
    fc.integer({ min: 0, max: 255 }).map((n) => `0x${n.toString(16)}`),
  );
  const ipv4ish = fc.oneof(
    fc.array(octet, { minLength: 1, maxLength: 5 }).map((p) => p.join('.')),
    fc.integer({ min: 0, max: 2 ** 32 - 1 }).map(String),
    fc.ipV4(),
    fc.ipV4Extended(),
  );
  const ipv6ish = fc.oneof(
    fc.ipV6(),
    fc.ipV6().map((s) => s.toUpperCase()),
    fc.ipV6().map((s) => `${s}%eth0`),
  );

  it('IPv4-like strings are refused or canonical and inside the allowlist', () => {
    fc.assert(
      fc.property(ipv4ish, (s) => {
        const r = host(s);
        if (!r.ok) return true;
        return ipaddr.IPv4.isValidFourPartDecimal(s) && ipaddr.IPv4.parse(s).toString() === s && inAllowed(s);
      }),
      { numRuns: 5000 },
    );
  });

  it('IPv6-like strings are refused or canonical and inside the allowlist', () => {
    fc.assert(
      fc.property(ipv6ish, (s) => {
        const r = host(s);
        if (!r.ok) return true;
        return ipaddr.IPv6.isValid(s) && ipaddr.IPv6.parse(s).toRFC5952String() === s && inAllowed(s);
      }),
      { numRuns: 5000 },
    );
  });

  it('arbitrary strings never pass unless they are a canonical allowed address or an allowed lab name', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (s) => {
        const r = net(s);
        if (!r.ok) return true;
        return /^[a-z0-9.:/-]+$/i.test(s) && !s.startsWith('-');
      }),
      { numRuns: 5000 },
    );
  });
});
