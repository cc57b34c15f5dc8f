// Builds dist/api.mjs and dist/runner.mjs (dependencies stay in node_modules) and dist/shim.cjs (one self-contained file).
import { chmod, readFile } from 'node:fs/promises';
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
