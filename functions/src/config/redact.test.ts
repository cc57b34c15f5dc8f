import { describe, expect, it } from 'vitest';
import { shouldRedact } from './redact';

describe('shouldRedact', () => {
  it.each(['MCP_TOKENS_FILE', 'NETDIAG_RUNNER_TOKEN', 'API_SECRET', 'MCP_SIGNING_KEY', 'DB_PASSWORD', 'aws_credentials'])('hides %s by its name', (key) => {
    expect(shouldRedact(key, 'anything')).toBe(true);
  });

  it('hides hash-like values under any name, also inside a mapping', () => {
    const hash = 'a'.repeat(64);
    expect(shouldRedact('MCP_SERVER_HOST', hash)).toBe(true);
    expect(shouldRedact('MCP_SERVER_HOST', `x-${hash}`)).toBe(true);
    expect(shouldRedact('MCP_RATE_LIMITS', { [hash]: 1 })).toBe(true);
  });

  it('shows ordinary settings', () => {
    for (const [key, value] of [
      ['MCP_SERVER_PORT', 8080],
      ['MCP_ALLOWED_TARGETS', '10.0.0.0/8,.lab.internal'],
      ['MCP_RATE_LIMITS', { nmap: 2 }],
      ['LOG_LEVEL', 'info'],
    ] as const) {
      expect(shouldRedact(key, value)).toBe(false);
    }
  });
});
