import { chmodSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeSandbox } from './capabilities';
import { buildHelper, removeTempDirs, tempDir } from './testing';

// These assert what this (root, util-linux 2.38) machine offers; on a host without privilege the
// probe must degrade, which the last tests force.
afterAll(removeTempDirs);

describe('probeSandbox', () => {
  let helper: string | undefined;
  beforeAll(async () => {
    helper = await buildHelper();
  });

  it('finds prlimit, setpriv and a working PID namespace here', async () => {
    const { sandbox, notes } = await probeSandbox();
    expect(notes).toEqual([]);
    expect(sandbox).toMatchObject({ mode: 'util-linux', rlimits: true, parentDeathSignal: true, pidNamespace: true });
    expect(sandbox.paths.prlimit).toMatch(/^\/.*prlimit$/);
  });

  it('prefers the helper when one is given and trusted', async ({ skip }) => {
    if (!helper) return skip('no C compiler');
    const { sandbox } = await probeSandbox({ helperPath: helper });
    expect(sandbox).toMatchObject({ mode: 'helper', rlimits: true, parentDeathSignal: true, pidNamespace: true, paths: { helper } });
  });

  it('refuses a helper that others could replace and falls back to util-linux', async ({ skip }) => {
    if (!helper) return skip('no C compiler');
    const copy = join(tempDir('netdiag-unsafe-'), 'netdiag-sandbox');
    copyFileSync(helper, copy);
    chmodSync(copy, 0o777);
    const { sandbox, notes } = await probeSandbox({ helperPath: copy });
    expect(sandbox.mode).toBe('util-linux');
    expect(notes.join('\n')).toMatch(/writable by others/);
  });

  it('leaves the PID namespace out when turned off', async () => {
    const { sandbox, notes } = await probeSandbox({ pidNamespace: false });
    expect(sandbox).toMatchObject({ mode: 'util-linux', rlimits: true, parentDeathSignal: true, pidNamespace: false });
    expect(sandbox.paths.unshare).toBeUndefined();
    expect(notes.join('\n')).toMatch(/setsid grandchild can escape/);
  });

  it('falls back to the process group alone when nothing is found', async () => {
    const { sandbox, notes } = await probeSandbox({ searchDirs: [tempDir('netdiag-empty-')] });
    expect(sandbox).toMatchObject({ mode: 'process-group', rlimits: false, parentDeathSignal: false, pidNamespace: false });
    expect(notes.length).toBeGreaterThan(0);
  });
});
