import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { checkDefinition } from './check-definition';

/** A custom binary tool's definition with `execs` set to the value under test. */
const withExecs = (execs: unknown): Record<string, unknown> => ({
  name: 'custom_tool',
  title: 'T',
  description: 'A test tool.',
  params: z.object({ target: z.string() }),
  result: z.object({ ok: z.boolean() }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  policy: { binary: 'fakebin', debianPackage: null, targetField: 'target', allowCidr: false, defaultTimeoutSec: 5, maxTimeoutSec: 10, execs },
  render: () => 'ok',
});

// The sandbox grants a job exec of its binary and policy.execs only (docs/security.md, "Sandbox", exec restriction).
describe('policy.execs of a custom tool', () => {
  it.each([[undefined], [[]], [['mtr-packet']], [['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']]])('accepts %j', (execs) => {
    expect(typeof checkDefinition(withExecs(execs), new Map())).toBe('object');
  });

  it.each([[['/bin/sh']], [['../sh']], [['ok', 'not ok']], ['sh'], [[1]], [['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i']]])('refuses %j', (execs) => {
    expect(checkDefinition(withExecs(execs), new Map())).toMatch(/policy\.execs must be a list of at most 8 bare program names/);
  });
});
