// What `npm start` (scripts/dev.mjs) runs, as functions: the dev tokens, the API's and the runner's environment and
// how each child is started. bench/npm-start.ts starts the very same configuration from here (issue 12), so the
// benchmark's headline measures what users run.
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';

/** Dev tokens: plaintext kept in `stateDir`/dev-tokens.json (0600), only hashes in `stateDir`/tokens.json for the API. */
export function devTokens(stateDir) {
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  const file = `${stateDir}/dev-tokens.json`;
  if (!existsSync(file)) {
    const make = () => `nd_${randomBytes(24).toString('base64url')}`;
    writeFileSync(file, JSON.stringify({ client: make(), runner: make(), admin: make() }, null, 2), { mode: 0o600 });
  }
  const tokens = JSON.parse(readFileSync(file, 'utf8'));
  const sha256 = (t) => createHash('sha256').update(t).digest('hex');
  const records = [
    { id: 'dev-client', sha256: sha256(tokens.client), scopes: ['tools:read', 'tools:run'] },
    { id: 'dev-runner', sha256: sha256(tokens.runner), scopes: ['runner'] },
    { id: 'dev-admin', sha256: sha256(tokens.admin), scopes: ['tools:read', 'tools:run', 'tools:admin'] },
  ];
  writeFileSync(`${stateDir}/tokens.json`, JSON.stringify(records, null, 2), { mode: 0o600 });
  return tokens;
}

/** Both children: loopback targets allowed (dev mode), LOG_LEVEL from the caller's environment, else info. */
export function sharedEnv(env = process.env) {
  return { MCP_ALLOW_LOOPBACK: 'true', LOG_LEVEL: env.LOG_LEVEL ?? 'info' };
}

/** The API's environment: loopback only, the dev tokens file, the audit file in the state directory. */
export function apiEnv({ stateDir, port, env = process.env }) {
  return {
    ...sharedEnv(env),
    MCP_SERVER_HOST: '127.0.0.1',
    MCP_SERVER_PORT: String(port),
    MCP_TOKENS_FILE: `${stateDir}/tokens.json`,
    MCP_AUDIT_FILE: `${stateDir}/audit.log`,
  };
}

/** The runner's environment: the API's URL, its dev token and a fixed id; NETDIAG_CA_FILE when the API speaks HTTPS. */
export function runnerEnv({ apiUrl, runnerToken, caFile, env = process.env }) {
  return {
    ...sharedEnv(env),
    ...(caFile ? { NETDIAG_CA_FILE: caFile } : {}),
    NETDIAG_API_URL: apiUrl,
    NETDIAG_RUNNER_TOKEN: runnerToken,
    NETDIAG_RUNNER_ID: 'local-runner',
  };
}

/**
 * How Node runs both children (issue 12, idle RSS; docs/design.md "Deployment"). --expose-gc: each process collects
 * once when it has gone idle (functions/shared/node/idle-gc.ts), so idle RSS does not wait for V8's memory reducer.
 * MALLOC_ARENA_MAX=2 (glibc; the caller's value wins): Node's helper threads otherwise each get a malloc arena of their
 * own, ~10 MB more idle RSS in the runner (measured 77.7–85.2 → 68.0–72.7 MB, no change in CPU per call).
 * --v8-pool-size=1: one V8 helper thread instead of four (background compiling, GC helpers), on hosts of a few cores
 * anyway; what those threads allocate stays in the second malloc arena, so fewer of them keep less. The API after one
 * /mcp session and 45 s idle 74.9–79.4 → 74.2–77.3 MB (six starts each), per-call time and CPU and the 200-caller
 * throughput unchanged within the noise (`npm run bench 'a/b builds'`, `throughput`).
 */
export const NODE_FLAGS = ['--expose-gc', '--v8-pool-size=1'];
/**
 * The runner's young generation capped at 2 MB per semi-space (V8's default grows to 16 MB): its allocations per job
 * are small and short-lived, and the larger nursery only stayed resident. Issue 12, `npm run bench memory`: the runner
 * 50 calls then 45 s idle 70.7/71.6 → 66.7/67.9 MB; a/b of the npm start stack, CPU per call (API + runner + shim)
 * 14.0/14.4 → 12.5/12.5 ms (10 ms ticks; no scavenge cost to see).
 */
const SCRIPT_FLAGS = { 'runner.mjs': ['--max-semi-space-size=2'] };
const PROCESS_ENV = { MALLOC_ARENA_MAX: '2' };

/** Start `dist`/<script> with the caller's environment plus `env`; stderr (the JSON log) appends to `stateDir`/<name>.log. */
export function startChild({ dist, stateDir, name, script, env, baseEnv = process.env }) {
  const log = openSync(`${stateDir}/${name}.log`, 'a');
  return spawn(process.execPath, [...NODE_FLAGS, ...(SCRIPT_FLAGS[script] ?? []), `${dist}/${script}`], {
    env: { ...PROCESS_ENV, ...baseEnv, ...env },
    stdio: ['ignore', 'ignore', log],
  });
}

/**
 * V8 flags of the shim in the printed entry (issue 12, the shim's share of an MCP stdio call). An MCP client's shim
 * makes few calls, so its per-call code runs mostly unoptimized: --always-sparkplug compiles each function to baseline
 * code at its first call instead of interpreting it until it is hot, and --no-lazy-feedback-allocation gives inline
 * caches from the first call. The shim's main-thread CPU over its first 30 calls 1.80–2.21 → 1.37–1.54 ms per call,
 * for ~50 ms more CPU once at start-up (190–198 → 242–245 ms) before the first request is read (docs/design.md, "MCP").
 */
export const SHIM_NODE_FLAGS = ['--always-sparkplug', '--no-lazy-feedback-allocation'];

/** The Claude Desktop entry `npm start` prints: the bundled shim under this Node, pointed at the API with the client token. */
export function shimServerConfig({ dist, apiUrl, clientToken, caFile }) {
  return {
    command: process.execPath,
    args: [...SHIM_NODE_FLAGS, `${dist}/shim.cjs`],
    env: { NETDIAG_API_URL: apiUrl, NETDIAG_TOKEN: clientToken, ...(caFile ? { NETDIAG_CA_FILE: caFile } : {}) },
  };
}
