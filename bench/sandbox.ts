/**
 * Cost of confinement: `ping -n -c1 127.0.0.1` started bare vs through each sandbox this host supports,
 * through runSandboxed itself, variants interleaved run by run so drift (CPU frequency, other load) hits
 * all alike. No assertions; prints median and p95 per variant and the median overhead over bare.
 * The util-linux chain costs three extra execs of dynamically linked programs (~0.6 ms each here); the
 * static helper (runner/src/sandbox/native) does the same work in one. The hardened helper adds the identity drop,
 * seccomp and the private read-only filesystem (docs/security.md, "Sandbox"), measured together and part by part;
 * the line "hardening adds" is hardened minus today's helper (target: at most 0.5 ms at the median).
 * Loopback only. Run alone with `npx tsx bench/sandbox.ts` (RUNS=… to change the count).
 */
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { probeSandbox } from '../runner/src/sandbox/capabilities';
import type { ProcessLimits } from '../runner/src/sandbox/limits';
import { runSandboxed } from '../runner/src/sandbox/spawn';
import { buildHelper, removeTempDirs } from '../runner/src/sandbox/testing';
import { describeSandbox, type Hardening, type Sandbox } from '../runner/src/sandbox/wrapper';
import { alternate, ms, printTable, type Summary, summarize } from './stats';

const PING = '/usr/bin/ping';
const ARGS = ['-n', '-c1', '127.0.0.1'];
const LIMITS: ProcessLimits = { cpuSec: 10, memoryMb: 512, maxFds: 256 };
const WARMUP = 10;
const HARDENED = 'helper hardened (all three)';
const IDENTITY = { uid: 65534, gid: 65534 };
const HARDENING: Readonly<Record<string, Hardening>> = {
  [HARDENED]: { identity: IDENTITY, seccomp: true, filesystem: { tmpMb: 64, hide: [] } },
  'helper + identity only': { identity: IDENTITY },
  'helper + seccomp only': { seccomp: true },
  'helper + filesystem only': { filesystem: { tmpMb: 64, hide: [] } },
};

async function once(sandbox: Sandbox | undefined): Promise<void> {
  const r = await runSandboxed({
    file: PING,
    args: ARGS,
    timeoutMs: 5000,
    maxStdoutBytes: 65_536,
    maxStderrBytes: 65_536,
    // ping needs its raw socket; in the unhardened variants the job is root anyway.
    confine: sandbox ? { sandbox, limits: LIMITS, netRaw: true } : undefined,
  });
  if (r.exitCode !== 0) throw new Error(`ping failed (${sandbox?.mode ?? 'bare'}): ${r.spawnError ?? r.stderr}`);
}

/** Every confinement this host supports, best first after bare; the helper is built when gcc is there. */
async function variants(): Promise<Map<string, Sandbox | undefined>> {
  const list = new Map<string, Sandbox | undefined>([['bare (process group only)', undefined]]);
  const util = (await probeSandbox()).sandbox;
  if (util.mode === 'util-linux') list.set(`util-linux chain${util.pidNamespace ? '' : ' (no unshare)'}`, util);
  const noNs = (await probeSandbox({ pidNamespace: false })).sandbox;
  if (noNs.mode === 'util-linux' && util.pidNamespace) list.set('util-linux without unshare', noNs);
  const helperPath = process.env['NETDIAG_SANDBOX_HELPER'] ?? (await buildHelper().catch(() => undefined));
  if (helperPath) {
    const helper = (await probeSandbox({ helperPath })).sandbox;
    if (helper.mode === 'helper') list.set(`helper${helper.pidNamespace ? ' (PID namespace)' : ''}`, helper);
    const helperNoNs = (await probeSandbox({ helperPath, pidNamespace: false })).sandbox;
    if (helperNoNs.mode === 'helper' && helper.pidNamespace) list.set('helper without PID namespace', helperNoNs);
    for (const [name, hardening] of Object.entries(HARDENING)) {
      const hardened = (await probeSandbox({ helperPath, hardening })).sandbox;
      if (hardened.hardening) list.set(name, hardened);
    }
  }
  const utilId = (await probeSandbox({ hardening: { identity: HARDENING[HARDENED]?.identity } })).sandbox;
  if (utilId.hardening?.identity) list.set('util-linux chain + setpriv identity', utilId);
  return list;
}

export async function benchSandbox(): Promise<void> {
  if (!existsSync(PING)) {
    process.stdout.write(`sandbox bench skipped: ${PING} not installed\n`);
    return;
  }
  const rounds = Number(process.env['RUNS'] ?? 200);
  const list = await variants();
  const fns = Object.fromEntries([...list].map(([name, sb]) => [name, () => once(sb)]));
  let samples: Record<string, number[]>;
  try {
    await alternate(WARMUP, fns);
    samples = await alternate(rounds, fns);
  } finally {
    removeTempDirs(); // the helper built for this run
  }
  const rows = Object.entries(samples).map(([name, xs]): [string, Summary] => [name, summarize(xs)]);
  printTable(`sandbox: ping -n -c1 127.0.0.1 via runSandboxed, bare vs wrapped (${rounds} interleaved runs each)`, rows);
  const bare = rows[0]?.[1].median ?? Number.NaN;
  for (const [name, s] of rows.slice(1)) process.stdout.write(`  overhead at the median, ${name.padEnd(30)} ${ms(s.median - bare)}\n`);
  const helper = rows.find(([name]) => name.startsWith('helper (PID'))?.[1];
  const hardened = rows.find(([name]) => name === HARDENED)?.[1];
  if (helper && hardened) {
    process.stdout.write(`  hardening adds (hardened - helper): median ${ms(hardened.median - helper.median)}, p95 ${ms(hardened.p95 - helper.p95)}\n`);
  }
  const util = list.get('util-linux chain');
  if (util) process.stdout.write(`  active util-linux mode: ${describeSandbox(util)}\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  benchSandbox().catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  });
}
