// `npm run build:workers`: the deployable Worker bundle in dist/workers/, made by wrangler itself
// (`wrangler deploy --dry-run --outdir`: its esbuild, its module rules), which uploads nothing and needs no account.
// No network: scripts/wrangler-env.mjs switches off everything wrangler would send.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { wranglerEnv } from './wrangler-env.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const wrangler = createRequire(import.meta.url).resolve('wrangler/bin/wrangler.js');
// The output folder: dist/workers, or the one argument given (test/workers/worker-bundle.test.ts builds into a temporary one).
const outdir = process.argv[2] ?? 'dist/workers';
const args = [wrangler, 'deploy', '--dry-run', '--outdir', outdir, '--x-provision=false'];
const run = spawnSync(process.execPath, args, { cwd: root, env: wranglerEnv(), stdio: 'inherit' });
process.exit(run.status ?? 1);
