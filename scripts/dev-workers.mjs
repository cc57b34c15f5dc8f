// `npm run dev:workers`: the Worker and its Durable Object broker served locally in workerd by `wrangler dev --local`
// on 127.0.0.1:MCP_SERVER_PORT (default 8787), with npm start's dev tokens (.netdiag/, made by dev-env.mjs) and
// loopback targets allowed. Durable Object storage persists in .netdiag/workers-state across restarts. Attach a
// runner with `npm run start:runner` (or `node dist/runner.mjs`) and the printed settings. Nothing leaves the machine:
// scripts/wrangler-env.mjs. Ctrl-C stops it.
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { devTokens, sharedEnv } from './dev-env.mjs';
import { wranglerEnv } from './wrangler-env.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const stateDir = process.env.NETDIAG_STATE_DIR || `${root}.netdiag`;
const port = Number(process.env.MCP_SERVER_PORT ?? 8787);
const apiUrl = `http://127.0.0.1:${port}`;
const tokens = devTokens(stateDir);

// The Worker's secrets and vars for local dev: the token records (hashes only), npm start's shared settings, and the
// caller's other MCP_* settings (as npm start's API inherits them), except what names files or the listening socket.
const NOT_FOR_WORKERS = new Set(['MCP_SERVER_HOST', 'MCP_SERVER_PORT', 'MCP_TOKENS_FILE', 'MCP_AUDIT_FILE', 'MCP_TOKENS']);
const callerSettings = Object.fromEntries(Object.entries(process.env).filter(([k, v]) => k.startsWith('MCP_') && !NOT_FOR_WORKERS.has(k) && v !== undefined));
const vars = { ...sharedEnv(), ...callerSettings, MCP_TOKENS: readFileSync(`${stateDir}/tokens.json`, 'utf8').replace(/\s+/g, '') };
const varsFile = `${stateDir}/workers.dev.vars`;
writeFileSync(
  varsFile,
  `${Object.entries(vars)
    .map(([k, v]) => `${k}='${v}'`)
    .join('\n')}\n`,
  { mode: 0o600 },
);

const wrangler = createRequire(import.meta.url).resolve('wrangler/bin/wrangler.js');
const args = [
  wrangler,
  'dev',
  '--local',
  '--ip',
  '127.0.0.1',
  '--port',
  String(port),
  '--inspector-ip',
  '127.0.0.1',
  '--persist-to',
  `${stateDir}/workers-state`,
  '--env-file',
  varsFile,
  '--show-interactive-dev-session=false',
  '--live-reload=false',
];
const child = spawn(process.execPath, args, { cwd: root, env: wranglerEnv(), stdio: ['ignore', 'inherit', 'inherit'] });
child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 1)));
for (const s of ['SIGINT', 'SIGTERM']) process.on(s, () => child.kill(s));

process.stdout.write(`netdiag: the Worker on ${apiUrl} (workerd, local only; loopback targets allowed). Attach a runner:
  NETDIAG_API_URL=${apiUrl} NETDIAG_RUNNER_TOKEN=$(node -p "require('${stateDir}/dev-tokens.json').runner") NETDIAG_RUNNER_ID=local-runner MCP_ALLOW_LOOPBACK=true npm run start:runner
Client token: .netdiag/dev-tokens.json ("client"), e.g.
  curl -s -H 'authorization: Bearer ${tokens.client.slice(0, 6)}…' -H 'content-type: application/json' -d '{"target":"127.0.0.1","count":2}' ${apiUrl}/tools/ping/execute
`);
