import { describe, expect, it } from 'vitest';
import { pathParam } from './definition';
import { resolveLocation } from './redirect';

// Pure checks: no connection is made, so any string may appear here.
describe('http_probe path parameter', () => {
  it.each(['/', '/healthz', '/api/v1/status?verbose=1&x=a%20b', "/a-b_c.d~e!$'()*+,;=:"])('accepts %s', (p) => {
    expect(pathParam.safeParse(p).success).toBe(true);
  });

  it.each([
    'healthz', // not origin-form
    '//evil.example/x', // protocol-relative
    '/redirect?to=http://evil.example', // scheme smuggling
    'http://evil.example/',
    '/a@evil.example', // userinfo-looking
    '/\\\\evil.example', // backslash, read as '/' by URL parsers
    '/a\r\nHost: evil.example', // header injection
    '/a\nb',
    '/a b',
    '/a#frag',
    '/a%0d%0aX-Injected:%201', // encoded CR/LF
    '/a%00',
    '/bad%zz',
    `/${'a'.repeat(1024)}`,
    '/ｆｕｌｌ', // non-ASCII
  ])('refuses %j', (p) => {
    expect(pathParam.safeParse(p).success).toBe(false);
  });
});

describe('redirect Location resolution', () => {
  const current = new URL('http://127.0.0.1:8080/start/page');

  it('resolves relative and absolute locations', () => {
    const ok = (l: string): string | undefined => {
      const r = resolveLocation(l, current);
      return r.ok ? r.url.href : undefined;
    };
    expect(ok('next')).toBe('http://127.0.0.1:8080/start/next');
    expect(ok('/other?q=1')).toBe('http://127.0.0.1:8080/other?q=1');
    expect(ok('https://web.lab.internal/x')).toBe('https://web.lab.internal/x');
    expect(ok('//web.lab.internal:8443/y')).toBe('http://web.lab.internal:8443/y');
  });

  it.each([
    'http://0x7f.1/', // parser would normalize to 127.0.0.1
    'http://2130706433/',
    'http://%31%32%37.0.0.1/',
    'https:web.lab.internal/', // special scheme without '//' gains an authority
    '/\\web.lab.internal/', // backslash
    'http://user:pw@127.0.0.1/',
    'javascript:alert(1)',
    'file:///etc/passwd',
    'http://127.0.0.1/a b',
    'http://[::1',
  ])('refuses %j', (l) => {
    expect(resolveLocation(l, current).ok).toBe(false);
  });
});
