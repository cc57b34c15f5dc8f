// Builds dist/api.mjs and dist/runner.mjs (dependencies stay in node_modules) and dist/shim.cjs (one self-contained file).
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { chmod, readFile, rename } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const pkg = JSON.parse(await readFile(`${root}package.json`, 'utf8'));

/** The shim never validates elicitation results, so the SDK's Ajv validator (most of the bundle) is replaced. */
const noAjv = {
  name: 'no-ajv',
  setup(b) {
    b.onResolve({ filter: /validation\/ajv-provider\.js$/ }, () => ({ path: `${root}shim/src/no-ajv.ts` }));
  },
};

const common = { bundle: true, platform: 'node', target: 'node20', sourcemap: false, logLevel: 'warning', absWorkingDir: root };

await Promise.all([
  build({ ...common, entryPoints: ['functions/node.ts'], outfile: 'dist/api.mjs', format: 'esm', packages: 'external' }),
  build({ ...common, entryPoints: ['runner/src/main.ts'], outfile: 'dist/runner.mjs', format: 'esm', packages: 'external' }),
  build({
    ...common,
    entryPoints: ['shim/src/index.ts'],
    outfile: 'dist/shim.cjs',
    format: 'cjs',
    minify: true,
    plugins: [noAjv],
    banner: { js: '#!/usr/bin/env node' },
    define: { __SHIM_VERSION__: JSON.stringify(pkg.version) },
  }),
]);
await chmod(`${root}dist/shim.cjs`, 0o755);

// The one-exec sandbox helper (runner/src/sandbox/native): about 0.5 ms per job instead of ~2 ms for the
// prlimit → setpriv → unshare chain. Optional: without a C compiler the runner uses the util-linux chain.
// Built to a temporary name and renamed into place, so a runner spawning it never sees a half-written file;
// skipped when the binary is newer than its source.
const helperSrc = `${root}runner/src/sandbox/native/netdiag-sandbox.c`;
const helperOut = `${root}dist/netdiag-sandbox`;
const newer = (a, b) => existsSync(a) && statSync(a).mtimeMs >= statSync(b).mtimeMs;
// One translation unit: the .c includes the harden-*.h files next to it, so any of them changing means a rebuild.
const helperParts = ['netdiag-sandbox.c', 'harden-cgroup.h', 'harden-fs.h', 'harden-identity.h', 'harden-seccomp.h'].map(
  (f) => `${root}runner/src/sandbox/native/${f}`,
);
if (!helperParts.every((part) => newer(helperOut, part))) {
  const tmp = `${helperOut}.${process.pid}.tmp`;
  const helper = spawnSync('gcc', ['-static', '-O2', '-Wall', '-Wextra', '-o', tmp, helperSrc], { stdio: ['ignore', 'ignore', 'pipe'] });
  if (helper.status === 0) {
    await chmod(tmp, 0o755);
    await rename(tmp, helperOut);
  } else {
    process.stderr.write(
      `note: sandbox helper not built (${helper.error?.message ?? helper.stderr.toString().split('\n')[0]}); the runner will use prlimit/setpriv/unshare\n`,
    );
  }
}
