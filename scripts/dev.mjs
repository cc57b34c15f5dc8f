// `npm start`: API + one local runner on 127.0.0.1 with dev tokens and loopback allowed, then prints the
// Claude Desktop config. Ctrl-C stops everything.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { apiEnv, devTokens, runnerEnv, shimServerConfig, startChild } from './dev-env.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const stateDir = `${root}.netdiag`;
const port = Number(process.env.MCP_SERVER_PORT ?? 8080);
// HTTPS when MCP_TLS_CERT_FILE and MCP_TLS_KEY_FILE are set (docs/security.md, "Service"). NETDIAG_CA_FILE is the CA
// that signed the certificate; a self-signed certificate is its own CA, so it defaults to the certificate file.
// NETDIAG_API_URL: the address the certificate names, when that is not 127.0.0.1.
const tlsCert = process.env.MCP_TLS_CERT_FILE ? resolve(process.env.MCP_TLS_CERT_FILE) : undefined;
const caFile = tlsCert ? resolve(process.env.NETDIAG_CA_FILE || tlsCert) : undefined;
const apiUrl = process.env.NETDIAG_API_URL || `${tlsCert ? 'https' : 'http'}://127.0.0.1:${port}`;
const say = (msg) => process.stdout.write(`${msg}\n`);

/** GET through the same certificate check the runner and the shim make (a lab CA, never "insecure"). */
function get(path, headers = {}) {
  const url = new URL(path, apiUrl);
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((done, fail) => {
    const req = send(url, { headers, ...(caFile ? { ca: readFileSync(caFile) } : {}) }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => done({ ok: res.statusCode === 200, json: () => JSON.parse(body) }));
    });
    req.once('error', fail);
    req.end();
  });
}

function findBinary(name) {
  for (const dir of ['/usr/bin', '/bin', '/usr/sbin', '/sbin', '/usr/local/bin']) {
    try {
      accessSync(`${dir}/${name}`, constants.X_OK);
      return `${dir}/${name}`;
    } catch {
      // Not in this directory: try the next.
    }
  }
  return undefined;
}

if (!findBinary('ping')) {
  const root_ = process.getuid?.() === 0;
  say('netdiag: `ping` is not installed; the runner needs it.');
  say(`Install it with:\n  ${root_ ? '' : 'sudo '}apt-get update && ${root_ ? '' : 'sudo '}apt-get install -y iputils-ping`);
  say('Other tools come later from: nmap traceroute dnsutils mtr-tiny');
  process.exit(1);
}

// `npm start` is `exec node scripts/dev.mjs`, so no `sh` stays behind: npm → this supervisor → API and runner. The
// build runs as its own short-lived process (esbuild's API would keep a service process beside this one).
const built = spawnSync(process.execPath, [`${root}scripts/build.mjs`], { stdio: 'inherit' });
if (built.status !== 0) process.exit(built.status ?? 1);

const tokens = devTokens(stateDir);
const children = [];
function start(name, script, env) {
  const child = startChild({ dist: `${root}dist`, stateDir, name, script, env });
  child.on('exit', (code, signal) => {
    if (!stopping) {
      say(`netdiag: ${name} exited (${signal ?? code}); see .netdiag/${name}.log`);
      stop(1);
    }
  });
  children.push(child);
  return child;
}

let stopping = false;
function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  say('\nnetdiag: stopping…');
  let left = children.filter((c) => c.exitCode === null && c.signalCode === null);
  if (left.length === 0) process.exit(code);
  for (const c of left) {
    c.once('exit', () => {
      left = left.filter((x) => x !== c);
      if (left.length === 0) process.exit(code);
    });
    c.kill('SIGTERM');
  }
  setTimeout(
    () => {
      for (const c of left) c.kill('SIGKILL');
      process.exit(code);
      // The API lets running jobs finish for MCP_SHUTDOWN_GRACE_SEC (default 30): wait a little longer than that.
    },
    (Number(process.env.MCP_SHUTDOWN_GRACE_SEC ?? 30) + 5) * 1000,
  ).unref();
}
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

async function waitFor(what, check, ms = 10_000) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (stopping) return;
    try {
      if (await check()) return;
    } catch {
      // Not up yet: poll again.
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  say(`netdiag: ${what} did not come up; see .netdiag/*.log`);
  stop(1);
}

// The environments come from dev-env.mjs, which bench/npm-start.ts uses too (the benchmark measures this configuration).
start('api', 'api.mjs', apiEnv({ stateDir, port }));
await waitFor(`the API on ${apiUrl}`, async () => (await get('/livez')).ok);
start('runner', 'runner.mjs', runnerEnv({ apiUrl, runnerToken: tokens.runner, caFile }));
await waitFor('the local runner', async () => {
  const res = await get('/tools', { authorization: `Bearer ${tokens.client}` });
  const body = await res.json();
  return body.tools?.some((t) => t.available);
});
if (stopping) await new Promise(() => {});

const config = { mcpServers: { netdiag: shimServerConfig({ dist: `${root}dist`, apiUrl, clientToken: tokens.client, caFile }) } };
say(`
netdiag is running: API ${apiUrl} + local runner (loopback targets allowed in this dev mode).
API reference: ${apiUrl}/docs (Authorize with the client token below to try calls).${caFile ? `\nHTTPS: certificate ${tlsCert}, trusted through NETDIAG_CA_FILE=${caFile}` : ''}
Logs: .netdiag/api.log, .netdiag/runner.log. Tokens: .netdiag/dev-tokens.json
Tool calls are rate limited as in production (10 per minute per tool and token unless
MCP_RATE_LIMIT_PER_MINUTE / MCP_RATE_LIMITS say otherwise; MCP_RATE_LIMIT_PER_MINUTE=0 npm start turns it off).

Claude Desktop: paste this into claude_desktop_config.json, then restart Claude Desktop:

${JSON.stringify(config, null, 2)}

Try it without Claude:
  curl -s${caFile ? ` --cacert ${caFile}` : ''} -H 'authorization: Bearer ${tokens.client}' -H 'content-type: application/json' \\
    -d '{"target":"127.0.0.1","count":2}' ${apiUrl}/tools/ping/execute

Press Ctrl-C to stop.`);
