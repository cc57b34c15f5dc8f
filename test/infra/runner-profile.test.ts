// The runner profile compose and infra/k8s ship (non-root, only NET_RAW, no_new_privs), run for real: what the sandbox
// gives a job and which tools work, as docs/design.md ("Deployment") and infra/README.md state. Inside a network
// namespace the test creates (unshare -n): only its own loopback, and ping_group_range can be set there.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, at, k8sManifests, yamlFile } from './infra-files';

const root = process.getuid?.() === 0;
const tools = ['/usr/bin/unshare', '/usr/bin/setpriv', '/usr/sbin/ip'].every((t) => existsSync(t));
const dir = mkdtempSync(join(tmpdir(), 'netdiag-profile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// What the shipped runners require of the sandbox; the driver starts its runner with exactly this.
const composeRequire = at(yamlFile('infra/compose.yaml'), 'services', 'runner-1', 'environment', 'NETDIAG_SANDBOX_REQUIRE');
const k8sRequire = at(
  k8sManifests().find((m) => m.doc['kind'] === 'ConfigMap' && at(m.doc, 'metadata', 'name') === 'netdiag-runner-config')?.doc,
  'data',
  'NETDIAG_SANDBOX_REQUIRE',
);

describe('the shipped NETDIAG_SANDBOX_REQUIRE', () => {
  // exec (Landlock) is what keeps a job, which has the runner's uid in this profile, out of the runner's
  // /proc/<pid>/environ (runner/src/sandbox/same-uid-job.test.ts; docs/security.md, "Sandbox").
  it('is the same in compose and infra/k8s and includes exec', () => {
    expect(composeRequire).toBe(k8sRequire);
    expect(String(composeRequire).split(',')).toEqual(['rlimits', 'pdeathsig', 'seccomp', 'exec']);
  });
});

// Needs root to create the namespace and to take on another uid; the machines `npm test` runs on have it.
describe.skipIf(!root || !tools)('the shipped runner profile: uid 10001, NET_RAW only, no_new_privs', () => {
  it(
    'gives jobs rlimits, pdeathsig, seccomp and exec (what it requires); ping needs the ping_group_range sysctl; raw-socket options are refused',
    { timeout: 90_000 },
    () => {
      spawnSync(process.execPath, [`${ROOT}scripts/make-secrets.mjs`, dir], { stdio: 'ignore' });
      const client = (JSON.parse(readFileSync(join(dir, 'client-tokens.json'), 'utf8')) as { client: string }).client;
      const runner = readFileSync(join(dir, 'runner.env'), 'utf8')
        .trim()
        .replace(/^NETDIAG_RUNNER_TOKEN=/, '');
      const run = spawnSync(
        '/usr/bin/unshare',
        [
          '-n',
          '--',
          process.execPath,
          '--import',
          'tsx',
          `${ROOT}test/infra/runner-profile-driver.ts`,
          join(dir, 'tokens.json'),
          client,
          runner,
          String(composeRequire),
        ],
        { cwd: ROOT, encoding: 'utf8', timeout: 80_000 },
      );
      expect(run.status, run.stderr).toBe(0);
      const { protections, results } = JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '{}') as {
        protections: string[];
        results: Record<string, { status: number; state?: string; code?: string; message?: string }>;
      };
      expect(protections).toEqual(expect.arrayContaining(['rlimits', 'pdeathsig', 'seccomp', 'exec']));
      for (const missing of ['pidns', 'identity', 'filesystem', 'cgroup']) expect(protections).not.toContain(missing);
      expect(results['pingClosed']?.code).toBe('EXECUTION_ERROR');
      expect(results['pingClosed']?.message).toMatch(/SOCK_RAW/);
      for (const ok of ['ping', 'mtr', 'tracerouteUdp', 'nmapConnect']) expect(results[ok]?.state, `${ok}: ${JSON.stringify(results[ok])}`).toBe('succeeded');
      for (const refused of ['tracerouteIcmp', 'nmapSyn']) expect(results[refused]?.code, refused).toBe('FORBIDDEN');
    },
  );
});
