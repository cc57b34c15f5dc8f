// Container HEALTHCHECK (infra/docker/*.Dockerfile): GET /livez, exit 0 on 200, 1 otherwise, within 4 s. The slim
// images have no curl. `ready`: GET /readyz of this process with MCP_PROBE_TOKEN (tools:read), for Kubernetes' readiness
// probe (503 while draining for shutdown). `api`: this process's own listener (MCP_SERVER_PORT, HTTPS when MCP_TLS_CERT_FILE is set; the
// certificate may not name 127.0.0.1, so only reachability is checked here). `runner`: the runner has no port of its
// own, so it checks what it cannot work without: the API at NETDIAG_API_URL, trusted through NETDIAG_CA_FILE.
import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

const env = process.env;
const which = process.argv[2];
let url;
let tls = {};
let headers = {};
if (which === 'api' || which === 'ready') {
  const https = Boolean(env.MCP_TLS_CERT_FILE);
  url = new URL(`${https ? 'https' : 'http'}://127.0.0.1:${env.MCP_SERVER_PORT || '8080'}/${which === 'api' ? 'livez' : 'readyz'}`);
  if (https) tls = { rejectUnauthorized: false };
  // /readyz needs tools:read: Kubernetes' readiness probe (infra/k8s/api.yaml) passes a token of its own.
  if (which === 'ready') headers = { authorization: `Bearer ${env.MCP_PROBE_TOKEN ?? ''}` };
} else if (which === 'runner' && env.NETDIAG_API_URL) {
  url = new URL('livez', env.NETDIAG_API_URL.endsWith('/') ? env.NETDIAG_API_URL : `${env.NETDIAG_API_URL}/`);
  if (env.NETDIAG_CA_FILE) tls = { ca: readFileSync(env.NETDIAG_CA_FILE) };
} else {
  process.stderr.write('usage: node scripts/healthcheck.mjs api|ready|runner (ready: MCP_PROBE_TOKEN, runner: NETDIAG_API_URL)\n');
  process.exit(2);
}
const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
const req = send(url, { timeout: 4000, headers, ...tls }, (res) => {
  res.resume();
  process.exit(res.statusCode === 200 ? 0 : 1);
});
req.on('timeout', () => req.destroy(new Error('timed out')));
req.on('error', (err) => {
  process.stderr.write(`healthcheck ${url.href}: ${err.message}\n`);
  process.exit(1);
});
req.end();
