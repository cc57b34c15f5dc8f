import { describe, expect, it } from 'vitest';
import { DEFAULT_MCP_ALLOWED_HOSTS, DEFAULT_MCP_ALLOWED_ORIGINS, hostAllowed, originAllowed, parseAddressRules } from './host-origin';

const hosts = parseAddressRules(DEFAULT_MCP_ALLOWED_HOSTS, 'host');
const origins = parseAddressRules(DEFAULT_MCP_ALLOWED_ORIGINS, 'origin');

describe('Host checks for /mcp', () => {
  it.each(['localhost', 'localhost:8080', '127.0.0.1:1', 'LOCALHOST:80', '[::1]:8080', '[::1]'])('allows %s by default', (h) => {
    expect(hostAllowed(h, hosts)).toBe(true);
  });
  it.each([
    'evil.example',
    'localhost.evil.example',
    '127.0.0.1.nip.io',
    '127.0.0.2',
    'a@localhost',
    'localhost/x',
    'localhost:99999',
    '',
    ' localhost',
    '[::2]',
  ])('refuses %j by default', (h) => {
    expect(hostAllowed(h, hosts)).toBe(false);
  });
  it('matches a port only when the entry names one', () => {
    const rules = parseAddressRules('mcp.lab.internal:8443', 'host');
    expect(hostAllowed('mcp.lab.internal:8443', rules)).toBe(true);
    expect(hostAllowed('mcp.lab.internal:443', rules)).toBe(false);
    expect(hostAllowed('mcp.lab.internal', rules)).toBe(false);
  });
});

describe('Origin checks for /mcp', () => {
  it('allows requests without an Origin (programs, not browsers)', () => {
    expect(originAllowed(undefined, origins)).toBe(true);
  });
  it.each(['http://localhost:6274', 'http://127.0.0.1', 'http://[::1]:3000'])('allows %s by default', (o) => {
    expect(originAllowed(o, origins)).toBe(true);
  });
  it.each(['null', 'https://localhost', 'http://evil.example', 'http://localhost.evil.example', 'http://localhost:6274/', 'file://', 'http://user@localhost'])(
    'refuses %s by default',
    (o) => {
      expect(originAllowed(o, origins)).toBe(false);
    },
  );
});

describe('parseAddressRules', () => {
  it.each([
    ['localhost', 'origin'],
    ['http://x/', 'origin'],
    ['*.lab.internal', 'host'],
    ['host:port', 'host'],
  ] as const)('refuses %s as a %s entry', (entry, kind) => {
    expect(() => parseAddressRules(entry, kind)).toThrow(/not a valid/);
  });
});
