import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/processes';

// A lab no packet can leave: three network namespaces made here (lab ↔ router ↔ target), private addresses,
// no default route. The API, the runner and the client run inside `lab` with the product's default allowlist.
const id = randomBytes(2).toString('hex');
const ns = { lab: `nd-lab-${id}`, router: `nd-rtr-${id}`, target: `nd-tgt-${id}` };
const octet = 1 + (parseInt(id, 16) % 250);
const net = { labSide: `10.99.${octet}`, targetSide: `10.98.${octet}` };
const targetAddress = `${net.targetSide}.2`;
const PORT = 8080;

const ip = (...args: string[]): void => {
  execFileSync('ip', args, { stdio: 'pipe' });
};
const inNs = (name: string, ...args: string[]): void => ip('netns', 'exec', name, ...args);

function canMakeNamespaces(): string | undefined {
  if (process.getuid?.() !== 0) return 'not root';
  const probe = `nd-probe-${id}`;
  try {
    ip('netns', 'add', probe);
    ip('netns', 'del', probe);
    return undefined;
  } catch (err) {
    return `ip netns add failed: ${String((err as { stderr?: Buffer }).stderr ?? err).trim()}`;
  }
}

function buildLab(): void {
  for (const n of Object.values(ns)) ip('netns', 'add', n);
  ip('link', 'add', `nl${id}a`, 'type', 'veth', 'peer', 'name', `nl${id}b`);
  ip('link', 'add', `nt${id}a`, 'type', 'veth', 'peer', 'name', `nt${id}b`);
  ip('link', 'set', `nl${id}a`, 'netns', ns.lab);
  ip('link', 'set', `nl${id}b`, 'netns', ns.router);
  ip('link', 'set', `nt${id}a`, 'netns', ns.router);
  ip('link', 'set', `nt${id}b`, 'netns', ns.target);
  inNs(ns.lab, 'ip', 'addr', 'add', `${net.labSide}.1/24`, 'dev', `nl${id}a`);
  inNs(ns.router, 'ip', 'addr', 'add', `${net.labSide}.254/24`, 'dev', `nl${id}b`);
  inNs(ns.router, 'ip', 'addr', 'add', `${net.targetSide}.254/24`, 'dev', `nt${id}a`);
  inNs(ns.target, 'ip', 'addr', 'add', `${targetAddress}/24`, 'dev', `nt${id}b`);
  for (const [n, dev] of [
    [ns.lab, `nl${id}a`],
    [ns.router, `nl${id}b`],
    [ns.router, `nt${id}a`],
    [ns.target, `nt${id}b`],
  ] as const)
    inNs(n, 'ip', 'link', 'set', dev, 'up');
  for (const n of Object.values(ns)) inNs(n, 'ip', 'link', 'set', 'lo', 'up');
  // Only routes between the two lab nets; no default route anywhere.
  inNs(ns.lab, 'ip', 'route', 'add', `${net.targetSide}.0/24`, 'via', `${net.labSide}.254`);
  inNs(ns.target, 'ip', 'route', 'add', `${net.labSide}.0/24`, 'via', `${net.targetSide}.254`);
  inNs(ns.router, 'sh', '-c', 'echo 1 > /proc/sys/net/ipv4/ip_forward');
}

function removeLab(): void {
  for (const n of Object.values(ns)) {
    try {
      ip('netns', 'del', n);
    } catch {
      // already gone
    }
  }
}

const skipReason = canMakeNamespaces();
let server: ChildProcess | undefined;

describe.skipIf(skipReason !== undefined)(`network namespace lab${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  beforeAll(async () => {
    buildLab();
    server = spawn(
      'ip',
      [
        'netns',
        'exec',
        ns.target,
        process.execPath,
        '-e',
        `require('net').createServer((s) => { s.on('error', () => {}); s.end('lab-banner\\n'); }).listen(${PORT}, '${targetAddress}', () => console.log('ready'))`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await new Promise<void>((resolve, reject) => {
      server?.stdout?.once('data', () => resolve());
      server?.once('exit', (code) => reject(new Error(`target server exited ${String(code)}`)));
    });
  });

  afterAll(() => {
    server?.kill('SIGKILL');
    removeLab();
  });

  it('traces two hops to the target and scans its open port, with the default allowlist', () => {
    const out = execFileSync(
      'ip',
      ['netns', 'exec', ns.lab, process.execPath, '--import', 'tsx', `${ROOT}test/lab/lab-driver.ts`, targetAddress, String(PORT)],
      {
        cwd: ROOT,
        encoding: 'utf8',
        timeout: 60_000,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const r = JSON.parse(out.trim().split('\n').pop() ?? '{}') as Record<string, { status: number; body: Record<string, unknown> }>;
    expect(r['traceroute']?.status).toBe(200);
    const trace = r['traceroute']?.body['result'] as { hops: Array<{ probes: Array<{ address: string | null }> }>; reachedDestination: boolean };
    expect(trace.reachedDestination).toBe(true);
    expect(trace.hops.map((h) => h.probes[0]?.address)).toEqual([`${net.labSide}.254`, targetAddress]);

    expect(r['nmap']?.status).toBe(200);
    const hosts = (r['nmap']?.body['result'] as { hosts: Array<{ ports: Array<{ port: number; state: string }> }> }).hosts;
    expect(hosts[0]?.ports.map((p) => `${p.port}:${p.state}`)).toEqual([`${PORT}:open`, `${PORT + 1}:closed`]);

    // The default allowlist keeps loopback out even here.
    expect(r['loopback']).toMatchObject({ status: 403, body: { error: { code: 'FORBIDDEN_TARGET' } } });
  });
});
