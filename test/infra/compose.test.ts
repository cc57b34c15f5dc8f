// infra/compose.yaml, checked statically (docs/design.md, "Deployment"): what runs, how it is confined, where secrets come from.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { composeSchemaErrors } from './compose-schema';
import { ROOT, type Yaml, at, read, yamlFile } from './infra-files';

const compose = yamlFile('infra/compose.yaml');
const services = compose['services'] as Record<string, Yaml>;
const service = (name: string): Yaml => {
  const s = services[name];
  if (s === undefined) throw new Error(`no service ${name}`);
  return s;
};
const env = (name: string): Record<string, string> => at(service(name), 'environment') as Record<string, string>;
// make-secrets.mjs for real, into a temp dir: the files compose names must be the files it writes.
const secretsDir = mkdtempSync(join(tmpdir(), 'netdiag-secrets-'));
execFileSync(process.execPath, [`${ROOT}scripts/make-secrets.mjs`, secretsDir], { stdio: 'ignore' });
afterAll(() => rmSync(secretsDir, { recursive: true, force: true }));

const APIS = ['api-1', 'api-2'];
const RUNNERS = ['runner-1', 'runner-2'];

describe('infra/compose.yaml', () => {
  it('is valid against the Compose Specification schema, which can fail', () => {
    expect(composeSchemaErrors(compose)).toEqual([]);
    const broken = structuredClone(compose);
    (broken['services'] as Record<string, Yaml>)['api-1'] = { ...service('api-1'), read_onyl: true };
    expect(composeSchemaErrors(broken).join('\n')).toMatch(/read_onyl/);
  });

  it('has two API replicas, a proxy in front of them, two runners, Redis, the collector, Prometheus and Grafana', () => {
    expect(Object.keys(services).sort()).toEqual(['api-1', 'api-2', 'grafana', 'otel-collector', 'prometheus', 'proxy', 'redis', 'runner-1', 'runner-2']);
    for (const api of APIS) expect(at(service(api), 'build', 'dockerfile')).toBe('infra/docker/api.Dockerfile');
    for (const runner of RUNNERS) expect(at(service(runner), 'build', 'dockerfile')).toBe('infra/docker/runner.Dockerfile');
    const nginx = read('infra/compose/nginx.conf');
    for (const api of APIS) expect(nginx).toContain(`server ${api}:8080`);
    for (const runner of RUNNERS) expect(env(runner)['NETDIAG_API_URL']).toBe('http://proxy:8080');
    expect(new Set(RUNNERS.map((r) => env(r)['NETDIAG_RUNNER_ID'])).size).toBe(2);
  });

  it('runs Redis with an append-only file on a volume, behind a password', () => {
    const command = JSON.stringify(at(service('redis'), 'command'));
    expect(command).toMatch(/--appendonly yes/);
    expect(command).toMatch(/--requirepass/);
    expect(at(service('redis'), 'volumes')).toContain('redis-data:/data');
    for (const api of APIS) expect(at(service(api), 'env_file')).toEqual(['secrets/api.env']);
  });

  it('puts a CPU and memory limit on every service', () => {
    for (const [name, s] of Object.entries(services)) {
      expect(at(s, 'deploy', 'resources', 'limits', 'cpus'), name).toBeDefined();
      expect(at(s, 'deploy', 'resources', 'limits', 'memory'), name).toBeDefined();
    }
  });

  it('confines the APIs and runners: read-only root, all capabilities dropped, NET_RAW only for runners, no new privileges', () => {
    for (const name of [...APIS, ...RUNNERS]) {
      const s = service(name);
      expect(s['read_only'], name).toBe(true);
      expect(s['cap_drop'], name).toEqual(['ALL']);
      expect(s['security_opt'], name).toContain('no-new-privileges:true');
      expect(s['cap_add'], name).toEqual(RUNNERS.includes(name) ? ['NET_RAW'] : undefined);
      expect(JSON.stringify(s['tmpfs']), name).toMatch(/\/tmp/);
    }
  });

  it('publishes only on the host loopback, and never allows loopback targets', () => {
    for (const [name, s] of Object.entries(services)) {
      for (const port of (s['ports'] as string[] | undefined) ?? []) expect(port, name).toMatch(/^127\.0\.0\.1:/);
      expect(at(s, 'environment', 'MCP_ALLOW_LOOPBACK'), name).toBeUndefined();
    }
  });

  it('keeps tokens out of the file: they come from env files and secrets that make-secrets.mjs creates', () => {
    for (const [name, s] of Object.entries(services)) {
      for (const [key, value] of Object.entries((s['environment'] as Record<string, string> | undefined) ?? {})) {
        if (/TOKEN(S)?$|PASSWORD/.test(key)) expect.fail(`${name} sets ${key}=${value} in the file`);
      }
    }
    const wanted = new Set<string>();
    for (const s of Object.values(services)) for (const f of (s['env_file'] as string[] | undefined) ?? []) wanted.add(f);
    for (const secret of Object.values(compose['secrets'] as Record<string, { file: string }>)) wanted.add(secret.file.replace(/^\.\//, ''));
    const made = readdirSync(secretsDir).map((f) => `secrets/${f}`);
    for (const file of wanted) expect(made, file).toContain(file);
  });

  it('mounts only configuration files that exist in the repository', () => {
    for (const [name, s] of Object.entries(services)) {
      for (const volume of (s['volumes'] as string[] | undefined) ?? []) {
        const source = volume.split(':')[0] ?? '';
        if (source.startsWith('./')) expect(existsSync(`${ROOT}infra/${source.slice(2)}`), `${name}: ${source}`).toBe(true);
      }
    }
    const prometheus = yamlFile('infra/compose/prometheus.yml');
    expect(JSON.stringify(prometheus)).toContain('api-1:8080');
    expect(JSON.stringify(prometheus)).toContain('api-2:8080');
  });
});
