import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../functions/shared/config/env-schema';
import { checkDefinition } from '../../functions/shared/node/tools-package/check-definition';
import { executors } from '../../functions/tools/executors';
import { CONCURRENCY_MAX, defaultCapacity, defaultToolConcurrency, toolConcurrency } from './concurrency';
import { loadRunnerConfig } from './config';

const BASE = { NETDIAG_API_URL: 'http://127.0.0.1:9', NETDIAG_RUNNER_TOKEN: 'runner-token-0123456789' };
const weightOf = (tool: string) => executors.get(tool)?.definition.policy.weight;
const limitsFor = (env: Record<string, string>, cores: number) => {
  const config = loadRunnerConfig({ ...BASE, ...env }, cores);
  const of = toolConcurrency(config.guards, weightOf, config.cores);
  return { capacity: config.capacity, ping: of('ping'), dig: of('dig'), nmap: of('nmap'), mtr: of('mtr') };
};

describe('runner concurrency defaults (docs/design.md, "Runners")', () => {
  it('every built-in tool states its weight in its definition', () => {
    for (const [name, e] of executors) expect([name, e.definition.policy.weight]).toEqual([name, expect.stringMatching(/^(light|heavy)$/)]);
    expect(weightOf('ping')).toBe('light');
    expect(weightOf('nmap')).toBe('heavy');
  });

  it('scale with the cores: light tools 4 per core, heavy ones 1 per core, capacity as light', () => {
    expect(limitsFor({}, 1)).toEqual({ capacity: 4, ping: 4, dig: 4, nmap: 1, mtr: 1 });
    expect(limitsFor({}, 2)).toEqual({ capacity: 8, ping: 8, dig: 8, nmap: 2, mtr: 2 });
    expect(limitsFor({}, 8)).toEqual({ capacity: 32, ping: 32, dig: 32, nmap: 8, mtr: 8 });
  });

  it(`stop at ${CONCURRENCY_MAX} on big machines and never go below 1`, () => {
    expect(limitsFor({}, 128)).toEqual({ capacity: 64, ping: 64, dig: 64, nmap: 64, mtr: 64 });
    expect(defaultToolConcurrency('heavy', 0)).toBe(1);
    expect(defaultCapacity(0)).toBe(1);
  });

  it('a TOOLS_PACKAGE definition may state a weight; anything but light or heavy is refused at load', () => {
    const ping = executors.get('ping')?.definition;
    const as = (weight: unknown) => checkDefinition({ ...ping, name: 'custom_ping', policy: { ...ping?.policy, weight } }, new Map());
    expect(as('light')).toMatchObject({ name: 'custom_ping', policy: { weight: 'light' } });
    expect(as(undefined)).toMatchObject({ name: 'custom_ping' });
    expect(as('medium')).toBe("custom_ping: policy.weight must be 'light' or 'heavy' when given");
    expect(as(8)).toBe("custom_ping: policy.weight must be 'light' or 'heavy' when given");
  });

  it('a tool without a weight (TOOLS_PACKAGE) counts as heavy', () => {
    expect(defaultToolConcurrency(undefined, 4)).toBe(4);
    expect(toolConcurrency({ defaultConcurrency: undefined, concurrency: {} }, () => undefined, 4)('custom')).toBe(4);
  });

  it('MCP_DEFAULT_CONCURRENCY sets every tool, MCP_CONCURRENCY_<TOOL> wins for its tool, NETDIAG_RUNNER_CAPACITY the total', () => {
    expect(limitsFor({ MCP_DEFAULT_CONCURRENCY: '3' }, 2)).toEqual({ capacity: 8, ping: 3, dig: 3, nmap: 3, mtr: 3 });
    expect(limitsFor({ MCP_DEFAULT_CONCURRENCY: '3', MCP_CONCURRENCY_PING: '64', MCP_CONCURRENCY_NMAP: '1' }, 2)).toEqual({
      capacity: 8,
      ping: 64,
      dig: 3,
      nmap: 1,
      mtr: 3,
    });
    expect(limitsFor({ NETDIAG_RUNNER_CAPACITY: '2' }, 16)).toMatchObject({ capacity: 2, ping: 64, nmap: 16 });
  });

  it(`refuses overrides outside 1–${CONCURRENCY_MAX}, naming the key`, () => {
    const bad = (env: Record<string, string>) => () => loadRunnerConfig({ ...BASE, ...env }, 2);
    expect(bad({ MCP_CONCURRENCY_PING: '65' })).toThrow(new ConfigError('MCP_CONCURRENCY_PING: expected an integer from 1 to 64 (got "65")'));
    expect(bad({ MCP_CONCURRENCY_NMAP: '0' })).toThrow(/^MCP_CONCURRENCY_NMAP: expected an integer from 1 to 64/);
    expect(bad({ MCP_DEFAULT_CONCURRENCY: '65' })).toThrow(/^MCP_DEFAULT_CONCURRENCY: /);
    expect(bad({ MCP_DEFAULT_CONCURRENCY: 'two' })).toThrow(/^MCP_DEFAULT_CONCURRENCY: /);
    expect(bad({ NETDIAG_RUNNER_CAPACITY: '65' })).toThrow(/^NETDIAG_RUNNER_CAPACITY: /);
    expect(bad({ NETDIAG_RUNNER_CAPACITY: '0' })).toThrow(/^NETDIAG_RUNNER_CAPACITY: /);
  });
});
