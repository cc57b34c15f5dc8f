/**
 * Runs inside a network namespace of its own (`unshare -n`, started by runner-profile.test.ts): an API and a runner
 * with exactly the privileges the shipped compose and Kubernetes runners get — uid 10001, bounding set {NET_RAW},
 * no_new_privs, no ambient capability (what Docker and Kubernetes give a non-root container) — then calls to
 * 127.0.0.1 of this namespace only. Prints one JSON line with what happened (docs/design.md, "Deployment").
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { ROOT } from './infra-files';

// `sandboxRequire`: the NETDIAG_SANDBOX_REQUIRE compose and infra/k8s ship (runner-profile.test.ts reads it from there).
const [tokensFile = '', clientToken = '', runnerToken = '', sandboxRequire = ''] = process.argv.slice(2);
const PROFILE = ['--reuid', '10001', '--regid', '10001', '--clear-groups', '--inh-caps=-all', '--bounding-set=-all,+net_raw', '--no-new-privs', '--'];
const url = 'http://127.0.0.1:18080';
const env = { PATH: '/usr/bin:/bin', MCP_ALLOW_LOOPBACK: 'true', MCP_ALLOW_INTRUSIVE: 'true' };
const groupRange = (range: string): void => writeFileSync('/proc/sys/net/ipv4/ping_group_range', range);

interface Outcome {
  status: number;
  state?: string | undefined;
  code?: string | undefined;
  message?: string | undefined;
}

async function call(tool: string, params: unknown): Promise<Outcome> {
  const res = await fetch(`${url}/tools/${tool}/execute`, {
    method: 'POST',
    headers: { authorization: `Bearer ${clientToken}`, 'content-type': 'application/json' },
    body: JSON.stringify(params),
  });
  const body = (await res.json()) as { status?: string; error?: { code: string; message: string } };
  return { status: res.status, state: body.status, code: body.error?.code, message: body.error?.message };
}

async function until(what: string, check: () => Promise<boolean>): Promise<void> {
  const end = Date.now() + 20_000;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > end) throw new Error(`${what} did not come up`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const children: ChildProcess[] = [];
try {
  spawnSync('/usr/sbin/ip', ['link', 'set', 'lo', 'up']);
  groupRange('1 0'); // a fresh namespace's value: ICMP datagram sockets closed
  children.push(
    spawn(process.execPath, [`${ROOT}scripts/start-process.mjs`, 'api'], {
      env: { ...env, MCP_TOKENS_FILE: tokensFile, MCP_SERVER_PORT: '18080', MCP_RATE_LIMIT_PER_MINUTE: '0' },
      stdio: 'ignore',
    }),
  );
  await until('the API', async () => (await fetch(`${url}/livez`)).ok);
  // The image's command, under the container runtime's credentials for the shipped profile.
  const runner = spawn('/usr/bin/setpriv', [...PROFILE, process.execPath, `${ROOT}scripts/start-process.mjs`, 'runner'], {
    env: {
      ...env,
      NETDIAG_API_URL: url,
      NETDIAG_RUNNER_TOKEN: runnerToken,
      NETDIAG_RUNNER_ID: 'profile',
      NETDIAG_SANDBOX_REQUIRE: sandboxRequire,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  children.push(runner);
  let log = '';
  runner.stderr?.on('data', (d: Buffer) => (log += d.toString()));
  // A runner that refuses to start (NETDIAG_SANDBOX_REQUIRE names a protection this host lacks: exit 78) says why.
  runner.on('exit', (code) => {
    if (code !== null) process.stderr.write(`runner exited with ${code}: ${log}\n`);
  });
  await until('the runner', async () => {
    const res = await fetch(`${url}/tools`, { headers: { authorization: `Bearer ${clientToken}` } });
    return ((await res.json()) as { tools: { name: string; available: boolean }[] }).tools.some((t) => t.name === 'ping' && t.available);
  });
  const pingClosed = await call('ping', { target: '127.0.0.1', count: 1 });
  groupRange('0 2147483647'); // what compose and infra/k8s set
  const results = {
    pingClosed,
    ping: await call('ping', { target: '127.0.0.1', count: 1 }),
    mtr: await call('mtr', { target: '127.0.0.1', cycles: 1, maxHops: 2, waitSec: 1 }),
    tracerouteUdp: await call('traceroute', { target: '127.0.0.1', maxHops: 2, queries: 1, waitSec: 1 }),
    tracerouteIcmp: await call('traceroute', { target: '127.0.0.1', maxHops: 2, queries: 1, waitSec: 1, protocol: 'icmp' }),
    nmapConnect: await call('nmap', { target: '127.0.0.1', ports: '9', scanType: 'connect' }),
    nmapSyn: await call('nmap', { target: '127.0.0.1', ports: '9', scanType: 'syn' }),
  };
  const ready = log.split('\n').find((l) => l.includes('"msg":"sandbox ready"'));
  const protections = ready ? (JSON.parse(ready) as { protections: string[] }).protections : [];
  process.stdout.write(`${JSON.stringify({ protections, results })}\n`);
} finally {
  for (const c of children.reverse()) c.kill('SIGKILL');
}
