// infra/k8s, checked statically: every manifest against the Kubernetes schemas of `kubernetes-models` (validate()),
// then the rules docs/design.md ("Deployment") promises. validate() ignores unknown fields, so each rule below also
// requires the fields it checks: a misspelt securityContext key fails here.
import { describe, expect, it } from 'vitest';
import { type Yaml, at, k8sManifests, read, yamlFile } from './infra-files';

const manifests = k8sManifests();
const find = (kind: string, name: string): Yaml => {
  const m = manifests.find((x) => x.doc['kind'] === kind && at(x.doc, 'metadata', 'name') === name);
  if (m === undefined) throw new Error(`no ${kind} ${name}`);
  return m.doc;
};

/** kubernetes-models' class for apiVersion + kind: `kubernetes-models/<group>/<version>/<Kind>` (core: `v1/<Kind>`). */
async function modelOf(apiVersion: string, kind: string): Promise<new (data: Yaml) => { validate(): void }> {
  const mod = (await import(`kubernetes-models/${apiVersion}/${kind}`)) as Record<string, new (data: Yaml) => { validate(): void }>;
  const cls = mod[kind];
  if (cls === undefined) throw new Error(`kubernetes-models has no ${apiVersion} ${kind}`);
  return cls;
}

type Container = Yaml & { securityContext?: Yaml };
const podSpec = (doc: Yaml): Yaml => at(doc, 'spec', 'template', 'spec') as Yaml;
const containers = (doc: Yaml): Container[] => podSpec(doc)['containers'] as Container[];

describe('infra/k8s', () => {
  it.each(manifests.map((m) => ({ name: `${m.file}: ${String(m.doc['kind'])} ${String(at(m.doc, 'metadata', 'name'))}`, doc: m.doc })))(
    '$name is valid against the Kubernetes schema',
    async ({ doc }) => {
      const Model = await modelOf(String(doc['apiVersion']), String(doc['kind']));
      expect(() => new Model(doc).validate()).not.toThrow();
    },
  );

  it('the schema check can fail (a port given as text)', async () => {
    const bad = structuredClone(find('Deployment', 'netdiag-api'));
    ((containers(bad)[0] as Yaml)['ports'] as Yaml[])[0] = { containerPort: 'http' };
    const Model = await modelOf('apps/v1', 'Deployment');
    expect(() => new Model(bad).validate()).toThrow(/containerPort/);
  });

  it('kustomization.yaml lists every manifest file but the Secret example (its placeholders are never applied)', () => {
    const listed = (yamlFile('infra/k8s/kustomization.yaml')['resources'] as string[]).sort();
    expect(listed).toEqual([...new Set(manifests.map((m) => m.file))].filter((f) => f !== 'secret.example.yaml').sort());
    expect(manifests.filter((m) => m.doc['kind'] === 'Secret').map((m) => m.file)).toEqual(['secret.example.yaml', 'secret.example.yaml']);
  });

  it('every Secret a workload reads is in secret.example.yaml, with the keys it reads', () => {
    const secrets = new Map(manifests.filter((m) => m.doc['kind'] === 'Secret').map((m) => [String(at(m.doc, 'metadata', 'name')), m.doc]));
    const refs = JSON.stringify(manifests.map((m) => m.doc)).matchAll(/"secretKeyRef":\{"name":"([^"]+)","key":"([^"]+)"\}/g);
    let count = 0;
    for (const [, name = '', key = ''] of refs) {
      count++;
      expect(Object.keys(at(secrets.get(name), 'stringData') as Yaml), `${name}.${key}`).toContain(key);
    }
    expect(count).toBeGreaterThanOrEqual(5);
  });

  it('every container is non-root, read-only, drops every capability, RuntimeDefault seccomp, with requests and limits', () => {
    for (const kind of ['Deployment', 'StatefulSet']) {
      for (const { doc } of manifests.filter((m) => m.doc['kind'] === kind)) {
        const name = String(at(doc, 'metadata', 'name'));
        expect(at(podSpec(doc), 'securityContext', 'runAsNonRoot'), name).toBe(true);
        expect(at(podSpec(doc), 'securityContext', 'seccompProfile', 'type'), name).toBe('RuntimeDefault');
        expect(podSpec(doc)['automountServiceAccountToken'], name).toBe(false);
        for (const c of containers(doc)) {
          const sc = c.securityContext ?? {};
          expect(sc['runAsNonRoot'], name).toBe(true);
          expect(sc['readOnlyRootFilesystem'], name).toBe(true);
          expect(sc['allowPrivilegeEscalation'], name).toBe(false);
          expect(at(sc, 'capabilities', 'drop'), name).toEqual(['ALL']);
          expect(at(sc, 'seccompProfile', 'type'), name).toBe('RuntimeDefault');
          for (const r of ['cpu', 'memory']) {
            expect(at(c, 'resources', 'requests', r), `${name} ${r}`).toBeDefined();
            expect(at(c, 'resources', 'limits', r), `${name} ${r}`).toBeDefined();
          }
        }
      }
    }
  });

  it('adds NET_RAW to the runner and to nothing else', () => {
    for (const { doc } of manifests.filter((m) => ['Deployment', 'StatefulSet'].includes(String(m.doc['kind'])))) {
      const name = String(at(doc, 'metadata', 'name'));
      for (const c of containers(doc))
        expect(at(c, 'securityContext', 'capabilities', 'add'), name).toEqual(name === 'netdiag-runner' ? ['NET_RAW'] : undefined);
    }
  });

  it('probes the API: liveness GET /livez, readiness /readyz (with a token from the Secret)', () => {
    const api = containers(find('Deployment', 'netdiag-api'))[0] as Yaml;
    expect(at(api, 'livenessProbe', 'httpGet', 'path')).toBe('/livez');
    expect(at(api, 'readinessProbe', 'exec', 'command')).toEqual(['node', 'scripts/healthcheck.mjs', 'ready']);
    expect(read('scripts/healthcheck.mjs')).toMatch(/'readyz'/);
    const probeToken = (api['env'] as Yaml[]).find((e) => e['name'] === 'MCP_PROBE_TOKEN');
    expect(at(probeToken, 'valueFrom', 'secretKeyRef', 'name')).toBe('netdiag-secrets');
    expect(at(api, 'resources', 'limits', 'memory')).toBeDefined();
  });

  it('scales the API with an HPA and keeps state in Redis (StatefulSet with an append-only file on a volume)', () => {
    expect(at(find('HorizontalPodAutoscaler', 'netdiag-api'), 'spec', 'scaleTargetRef', 'name')).toBe('netdiag-api');
    const redis = find('StatefulSet', 'netdiag-redis');
    expect(JSON.stringify(at(containers(redis)[0], 'args'))).toMatch(/"--appendonly","yes"/);
    expect(at(redis, 'spec', 'volumeClaimTemplates', 0, 'metadata', 'name')).toBe('data');
    const api = containers(find('Deployment', 'netdiag-api'))[0] as Yaml;
    expect((api['env'] as Yaml[]).some((e) => e['name'] === 'REDIS_URL' && at(e, 'valueFrom', 'secretKeyRef', 'key') === 'redis-url')).toBe(true);
  });

  it('lets runners egress only to the lab CIDRs, the API and DNS, and accept nothing', () => {
    const policy = find('NetworkPolicy', 'netdiag-runner-egress');
    expect(at(policy, 'spec', 'podSelector', 'matchLabels')).toEqual(at(find('Deployment', 'netdiag-runner'), 'spec', 'selector', 'matchLabels'));
    expect(at(policy, 'spec', 'policyTypes')).toEqual(['Ingress', 'Egress']);
    expect(at(policy, 'spec', 'ingress')).toEqual([]);
    const egress = at(policy, 'spec', 'egress') as Yaml[];
    const cidrs = egress.flatMap((r) => (r['to'] as Yaml[]).map((t) => at(t, 'ipBlock', 'cidr')).filter((c) => c !== undefined));
    const targets = String(at(find('ConfigMap', 'netdiag-runner-config'), 'data', 'MCP_ALLOWED_TARGETS')).split(',');
    // Every CIDR the policy opens is one the runner may target; no 0.0.0.0/0.
    expect(cidrs.length).toBeGreaterThan(0);
    for (const cidr of cidrs) expect(targets).toContain(cidr);
    const toApi = egress.find((r) => at(r, 'to', 0, 'podSelector', 'matchLabels', 'app.kubernetes.io/name') === 'netdiag-api');
    expect(at(toApi, 'ports', 0, 'port')).toBe(8080);
    expect(egress).toHaveLength(3);
  });

  it('keeps secrets out of ConfigMaps and placeholders obvious in the Secret', () => {
    for (const { doc } of manifests.filter((m) => m.doc['kind'] === 'ConfigMap')) {
      for (const key of Object.keys(doc['data'] as Yaml)) expect(key).not.toMatch(/TOKEN|PASSWORD|REDIS_URL/);
    }
    for (const { doc } of manifests.filter((m) => m.doc['kind'] === 'Secret')) {
      for (const value of Object.values(doc['stringData'] as Record<string, string>)) expect(value).toMatch(/REPLACE_WITH_|placeholder/);
    }
  });

  it('runs the image commands (no command/args override on the API and the runner)', () => {
    for (const name of ['netdiag-api', 'netdiag-runner']) {
      const c = containers(find('Deployment', name))[0] as Yaml;
      expect(c['command'], name).toBeUndefined();
      expect(c['args'], name).toBeUndefined();
    }
  });
});
