import { describe, expect, it } from 'vitest';
import { parseConfigFile } from './config-file';
import { ConfigError } from '../config/env-schema';

describe('parseConfigFile', () => {
  it('reads YAML with flat env names and the sections of docs/design.md, "Configuration"', () => {
    const yaml = [
      'MCP_QUEUE_WAIT_SEC: 20',
      'MCP_ALLOWED_TARGETS: [10.0.0.0/8, .lab.internal]',
      'server:',
      '  host: 127.0.0.2',
      '  port: 9090',
      'security: { allow_intrusive: true }',
      'tool:',
      '  default_timeout: 120',
      '  default_concurrency: 3',
      'circuit_breaker: { threshold: 4, recovery_timeout: 90 }',
      'rate_limit: { per_minute: 5, tools: { nmap: 2, ping: 60 } }',
      'logging: { level: WARNING }',
    ].join('\n');
    expect(parseConfigFile(yaml, '/etc/netdiag.yaml')).toEqual({
      MCP_QUEUE_WAIT_SEC: '20',
      MCP_ALLOWED_TARGETS: '10.0.0.0/8,.lab.internal',
      MCP_SERVER_HOST: '127.0.0.2',
      MCP_SERVER_PORT: '9090',
      MCP_ALLOW_INTRUSIVE: 'true',
      MCP_DEFAULT_TIMEOUT_SEC: '120',
      MCP_DEFAULT_CONCURRENCY: '3',
      MCP_CIRCUIT_BREAKER_THRESHOLD: '4',
      MCP_CIRCUIT_BREAKER_RECOVERY_SEC: '90',
      MCP_RATE_LIMIT_PER_MINUTE: '5',
      MCP_RATE_LIMITS: 'nmap=2,ping=60',
      LOG_LEVEL: 'WARNING',
    });
  });

  it('reads JSON the same way', () => {
    const json = JSON.stringify({ server: { port: 8081 }, MCP_RATE_LIMITS: { nmap: 1 }, TOOL_EXCLUDE: ['nmap', 'mtr'], MCP_TOKENS_FILE: null });
    expect(parseConfigFile(json, 'c.JSON')).toEqual({ MCP_SERVER_PORT: '8081', MCP_RATE_LIMITS: 'nmap=1', TOOL_EXCLUDE: 'nmap,mtr' });
  });

  it('treats an empty file as no settings', () => {
    expect(parseConfigFile('', 'c.yaml')).toEqual({});
    expect(parseConfigFile('# nothing\n', 'c.yml')).toEqual({});
  });

  it.each([
    ['server:\n  prot: 1', /^server\.prot: unknown setting/],
    ['servers:\n  port: 1', /^servers: unknown key/],
    ['mcp_server_port: 1', /^mcp_server_port: unknown key/],
    ['server: 8080', /^server: expected a section/],
    ['MCP_SERVER_PORT: 1\nserver: { port: 2 }', /^server\.port: MCP_SERVER_PORT is set twice/],
    ['MCP_SERVER_PORT: { a: { b: 1 } }', /^MCP_SERVER_PORT\.a: /],
    ['TOOL_INCLUDE: [[a]]', /^TOOL_INCLUDE: a list/],
    ['MCP_CONFIG_FILE: /other.yaml', /^MCP_CONFIG_FILE: the configuration file cannot name another/],
    ['- a\n- b', /^MCP_CONFIG_FILE: .* must hold a mapping/],
    ['server: [unclosed', /^MCP_CONFIG_FILE: c\.yaml is not valid YAML/],
    ['__proto__: { polluted: 1 }', /^__proto__: unknown key/],
  ])('refuses %j naming the key', (text, message) => {
    expect(() => parseConfigFile(text, 'c.yaml')).toThrow(ConfigError);
    expect(() => parseConfigFile(text, 'c.yaml')).toThrow(message);
  });

  it('refuses bad JSON and does not let "__proto__" or "constructor" reach a section lookup', () => {
    expect(() => parseConfigFile('{"server": ', 'c.json')).toThrow(/^MCP_CONFIG_FILE: c\.json is not valid JSON/);
    expect(() => parseConfigFile('{"__proto__": {"host": "x"}}', 'c.json')).toThrow(/^__proto__: unknown key/);
    expect(() => parseConfigFile('{"server": {"constructor": 1}}', 'c.json')).toThrow(/^server\.constructor: unknown setting/);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});
