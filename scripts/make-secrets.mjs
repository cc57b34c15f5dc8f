// Creates the secrets infra/compose.yaml reads (and infra/k8s/ can be given): `node scripts/make-secrets.mjs [DIR]`
// (default infra/secrets, git-ignored). Never overwrites: delete a file to make it anew. Plaintext tokens are for
// you (client-tokens.json, 0600) and the runners (runner.env, 0600); the API only ever gets their SHA-256
// (tokens.json). Files a container reads through a compose `secrets:` bind mount keep the host's owner and mode, so
// those are 0644 inside a 0700 directory (docs: infra/README.md, "Secrets").
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = resolve(process.argv[2] ?? fileURLToPath(new URL('../infra/secrets', import.meta.url)));
mkdirSync(dir, { recursive: true, mode: 0o700 });
chmodSync(dir, 0o700);
const token = () => `nd_${randomBytes(24).toString('base64url')}`;
const sha256 = (t) => createHash('sha256').update(t).digest('hex');

function write(name, text, mode) {
  const file = `${dir}/${name}`;
  if (existsSync(file)) return process.stdout.write(`kept    ${file}\n`);
  writeFileSync(file, text, { mode });
  chmodSync(file, mode);
  process.stdout.write(`created ${file}\n`);
}

if (!existsSync(`${dir}/tokens.json`)) {
  const plain = { client: token(), admin: token(), runner: token(), prometheus: token(), probe: token() };
  const records = [
    { id: 'client', sha256: sha256(plain.client), scopes: ['tools:read', 'tools:run'] },
    { id: 'admin', sha256: sha256(plain.admin), scopes: ['tools:read', 'tools:run', 'tools:admin'] },
    { id: 'runner', sha256: sha256(plain.runner), scopes: ['runner'] },
    { id: 'prometheus', sha256: sha256(plain.prometheus), scopes: ['metrics'] },
    // Kubernetes' readiness probe (GET /readyz needs tools:read); infra/k8s reads it as MCP_PROBE_TOKEN.
    { id: 'probe', sha256: sha256(plain.probe), scopes: ['tools:read'] },
  ];
  write('client-tokens.json', `${JSON.stringify({ client: plain.client, admin: plain.admin }, null, 2)}\n`, 0o600);
  write('runner.env', `NETDIAG_RUNNER_TOKEN=${plain.runner}\n`, 0o600);
  write('prometheus.token', `${plain.prometheus}\n`, 0o644);
  write('probe.token', `${plain.probe}\n`, 0o600);
  write('tokens.json', `${JSON.stringify(records, null, 2)}\n`, 0o644);
}
const redisPassword = randomBytes(24).toString('hex');
if (!existsSync(`${dir}/redis-password`)) {
  write('redis-password', `${redisPassword}\n`, 0o644);
  write('api.env', `REDIS_URL=redis://:${redisPassword}@redis:6379/0\n`, 0o600);
}
write('grafana.env', `GF_SECURITY_ADMIN_PASSWORD=${randomBytes(18).toString('base64url')}\n`, 0o600);
