import { describe, expect, it } from 'vitest';
import { policyFromSettings } from '../../../functions/shared/policy/from-settings';
import type { TargetPolicy } from '../../../functions/shared/policy/target-policy';
import { type Resolver, pinTarget } from './pin-target';

const noDns: Resolver = () => Promise.reject(new Error('no DNS in this test'));
const policy = (allowedTargets: string, allowLoopback = false): TargetPolicy => policyFromSettings({ allowedTargets, allowLoopback, maxCidrHosts: 256 });

describe('pinTarget', () => {
  it('pins an IP literal inside the policy, with no lookup', async () => {
    const pinned = await pinTarget(policy('10.0.0.0/8', true), '127.0.0.1', false, true, noDns);
    expect(pinned).toMatchObject({ ok: true, address: '127.0.0.1', family: 4 });
  });

  it('keeps the second (BlockList) check per policy: what one policy allows never leaks into another', async () => {
    const wide = policy('10.0.0.0/8');
    const narrow = policy('10.1.0.0/16');
    // The first policy's list is built and kept; the second must still build and use its own.
    expect((await pinTarget(wide, '10.2.3.4', false, true, noDns)).ok).toBe(true);
    expect((await pinTarget(narrow, '10.2.3.4', false, true, noDns)).ok).toBe(false);
    expect((await pinTarget(narrow, '10.1.2.3', false, true, noDns)).ok).toBe(true);
    expect((await pinTarget(wide, '10.2.3.4', false, true, noDns)).ok).toBe(true);
  });

  it('checks an allowed literal once per policy and string; refusals and names go the whole way every time', async () => {
    const real = policy('10.1.0.0/16,.lab.internal', true);
    const counted = Object.create(real) as TargetPolicy;
    const checked: string[] = [];
    counted.check = (raw, options) => (checked.push(raw), real.check(raw, options));
    let lookups = 0;
    const lab: Resolver = async () => (lookups++, [{ address: '10.1.0.9', family: 4 }]);
    for (let i = 0; i < 3; i += 1) {
      expect(await pinTarget(counted, '10.1.2.3', false, true, noDns)).toMatchObject({ ok: true, address: '10.1.2.3', family: 4 });
      expect(await pinTarget(counted, '10.1.0.0/24', true, true, noDns)).toMatchObject({ ok: true, address: '10.1.0.0/24' });
      expect((await pinTarget(counted, '10.2.3.4', false, true, noDns)).ok).toBe(false);
      expect(await pinTarget(counted, 'db.lab.internal', false, true, lab)).toMatchObject({ ok: true, address: '10.1.0.9' });
    }
    // The same string as a CIDR-taking tool's target is a separate verdict.
    expect((await pinTarget(counted, '10.1.2.3', true, true, noDns)).ok).toBe(true);
    expect(checked.filter((t) => t === '10.1.2.3')).toHaveLength(2);
    expect(checked.filter((t) => t === '10.1.0.0/24')).toHaveLength(1);
    expect(checked.filter((t) => t === '10.2.3.4')).toHaveLength(3);
    expect(checked.filter((t) => t === 'db.lab.internal')).toHaveLength(3);
    expect(lookups).toBe(3);
    // Another policy never sees this one's verdicts.
    expect((await pinTarget(policy('10.9.0.0/16'), '10.1.2.3', false, true, noDns)).ok).toBe(false);
    // What is kept cannot be changed by whoever gets it.
    const pinned = await pinTarget(counted, '10.1.2.3', false, true, noDns);
    expect(Object.isFrozen(pinned)).toBe(true);
    if (pinned.ok) expect(Object.isFrozen(pinned.target)).toBe(true);
  });

  it('refuses when the shared policy lets an address through that its own ranges do not hold (defence in depth)', async () => {
    const real = policy('10.1.0.0/16');
    // A policy whose check() is wrong (says yes to anything) but whose ranges are right: the BlockList check catches it.
    const buggy = Object.create(real) as TargetPolicy;
    buggy.check = () => ({ ok: true, value: { kind: 'ip', address: '192.0.2.1', family: 4 } }) as ReturnType<TargetPolicy['check']>;
    for (let i = 0; i < 2; i += 1) {
      const pinned = await pinTarget(buggy, '192.0.2.1', false, true, noDns);
      expect(pinned.ok).toBe(false);
      if (!pinned.ok) expect(pinned.refusal.message).toContain('second check');
    }
  });
});
