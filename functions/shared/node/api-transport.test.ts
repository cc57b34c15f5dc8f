import { describe, expect, it } from 'vitest';
import { describeTransportFailure } from '../errors/transport-failure';
import { apiFetch, checkApiUrl, isLoopbackHost, refusingFetch } from './api-transport';

describe('checkApiUrl', () => {
  it.each(['127.0.0.1', '127.1.2.3', 'localhost', '[::1]', 'api.localhost'])('allows plain HTTP to loopback %s', (host) => {
    expect(checkApiUrl(`http://${host}:8080`, false)).toEqual({ ok: true });
  });

  it.each(['0.0.0.0', '10.0.0.5', '192.0.2.1', '[::ffff:7f00:1]', '[fe80::1]', 'api.lab.internal', '127.0.0.1.nip.io'])('refuses plain HTTP to %s', (host) => {
    const v = checkApiUrl(`http://${host}:8080`, false);
    expect(v.ok).toBe(false);
    expect(!v.ok && v.message).toMatch(/refusing plain HTTP to the non-loopback address .*nothing was sent/);
  });

  it('allows HTTPS anywhere, and plain HTTP with NETDIAG_ALLOW_INSECURE plus a warning', () => {
    expect(checkApiUrl('https://api.lab.internal', false)).toEqual({ ok: true });
    const v = checkApiUrl('http://api.lab.internal:8080', true);
    expect(v.ok && v.warning).toMatch(/NETDIAG_ALLOW_INSECURE=true: tokens and results go to api\.lab\.internal:8080 in clear text/);
  });

  it('loopback means loopback, not a name that starts like it', () => {
    expect(isLoopbackHost('127.0.0.1.example')).toBe(false);
    expect(isLoopbackHost('localhost.example')).toBe(false);
  });
});

describe('refusingFetch', () => {
  it('fails like fetch does, with a cause the shim names, and sends nothing', async () => {
    const err = await refusingFetch('refusing plain HTTP to x; nothing was sent')('http://192.0.2.1/').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TypeError);
    expect(describeTransportFailure(err)?.fix).toMatch(/https:\/\/.*NETDIAG_ALLOW_INSECURE=true/);
  });
});

describe('apiFetch', () => {
  it('is the base fetch itself without a CA or client certificate', () => {
    const base: typeof fetch = async () => new Response('');
    expect(apiFetch({}, base)).toBe(base);
  });

  it('names the setting when a file cannot be read, and wants cert and key together', () => {
    expect(() => apiFetch({ caFile: '/nonexistent/ca.pem' })).toThrow(/NETDIAG_CA_FILE: cannot read \/nonexistent\/ca.pem \(ENOENT\)/);
    expect(() => apiFetch({ clientCertFile: '/x' })).toThrow(/NETDIAG_CLIENT_CERT_FILE and NETDIAG_CLIENT_KEY_FILE go together/);
  });
});

describe('describeTransportFailure', () => {
  it.each([
    ['SELF_SIGNED_CERT_IN_CHAIN', /not signed by a trusted CA/, /NETDIAG_CA_FILE/],
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', /not signed by a trusted CA/, /NETDIAG_CA_FILE/],
    ['CERT_HAS_EXPIRED', /has expired/, /MCP_TLS_CERT_FILE.*SIGHUP/],
    ['ERR_TLS_CERT_ALTNAME_INVALID', /not issued for the host in NETDIAG_API_URL/, /subjectAltName/],
  ])('names %s from inside fetch\'s "fetch failed"', (code, problem, fix) => {
    const err = new TypeError('fetch failed', { cause: Object.assign(new Error('x'), { code }) });
    expect(describeTransportFailure(err)?.problem).toMatch(problem);
    expect(describeTransportFailure(err)?.fix).toMatch(fix);
  });

  it('leaves other failures alone', () => {
    expect(describeTransportFailure(new TypeError('fetch failed', { cause: Object.assign(new Error('x'), { code: 'ECONNREFUSED' }) }))).toBeUndefined();
  });
});
