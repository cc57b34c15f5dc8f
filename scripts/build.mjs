// Builds dist/api.mjs and dist/runner.mjs (dependencies stay in node_modules) and dist/shim.cjs (one self-contained file).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { chmod, readFile, readdir, rename, rm, stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { REQUIRE_BANNER, requireExternals } from './require-externals.mjs';
import { zodEnglishOnly } from './zod-english-only.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const pkg = JSON.parse(await readFile(`${root}package.json`, 'utf8'));

/**
 * The MCP server gives the SDK its own validator (functions/mcp/no-schema-validator.ts), so the SDK's Ajv one is never
 * built: where the SDK imports it, the bundles get that class instead, and Ajv (most of the shim's bundle) stays out.
 */
const noAjv = {
  name: 'no-ajv',
  setup(b) {
    b.onResolve({ filter: /validation\/ajv-provider\.js$/ }, () => ({ path: 'ajv-provider', namespace: 'no-ajv' }));
    b.onLoad({ filter: /.*/, namespace: 'no-ajv' }, () => ({
      contents: `export { NoSchemaValidator as AjvJsonSchemaValidator } from ${JSON.stringify(`${root}functions/mcp/no-schema-validator.ts`)};`,
      loader: 'js',
      resolveDir: root,
    }));
  },
};

/** The CommonJS packages the runner imports (scripts/require-externals.mjs); none may be ESM-only. */
const RUNNER_CJS_PACKAGES = ['pino', 'ws', 'cockatiel', 'ipaddr.js', '@opentelemetry/api'];

const common = { bundle: true, platform: 'node', target: 'node20', sourcemap: false, logLevel: 'warning', absWorkingDir: root };
/** Every package (runtime and dev: the runner loads tsx on demand for TypeScript tools packages) stays in node_modules except `inside`. */
const externalBut = (inside) =>
  [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.devDependencies ?? {}), ...Object.keys(pkg.optionalDependencies ?? {})]
    .filter((d) => !inside.includes(d))
    .flatMap((d) => [d, `${d}/*`]);

// The API in chunks: what it loads only when first needed (the MCP SDK behind /mcp, functions/src/mcp-http/open-session.ts)
// is its own file under dist/chunks/, so an idle API never reads it (issue 12, idle memory).
const [apiBuild] = await Promise.all([
  build({
    ...common,
    entryPoints: { api: 'functions/node.ts' },
    outdir: 'dist',
    outExtension: { '.js': '.mjs' },
    splitting: true,
    chunkNames: 'chunks/api-[name]-[hash]',
    format: 'esm',
    // The MCP SDK inside that chunk, so its Ajv import can be replaced (noAjv) and its CommonJS dependencies
    // (zod-to-json-schema, content-type) are bundled, not translated by Node's ESM loader; zod stays shared.
    external: externalBut(['@modelcontextprotocol/sdk']),
    plugins: [noAjv],
    // Without whitespace and comments, as the runner's below: V8 keeps each file's source in the heap while the API
    // runs, and a comment's one non-ASCII character made api.mjs (269 KB) and the /mcp chunk (226 KB) two-byte strings.
    minifyWhitespace: true,
    metafile: true,
  }),
  // zod inside the runner's bundle: its package is ~225 ES modules (every locale) when imported, ~4 MB more of the
  // runner's RSS, which every job's fork copies (issue 12). The API keeps it external: @hono/zod-openapi must share it.
  // Also for the runner's idle RSS (issue 12, `npm run bench memory`): its CommonJS dependencies loaded through
  // require (scripts/require-externals.mjs), zod's English messages only (scripts/zod-english-only.mjs), and no
  // whitespace or comments: the bundle's source stays in the heap as long as the runner runs, and one non-ASCII
  // character in a comment makes all of it a two-byte string (1.0 MB of source was 2 MB of heap; now 0.5 MB, ASCII).
  build({
    ...common,
    entryPoints: ['runner/src/main.ts'],
    outfile: 'dist/runner.mjs',
    format: 'esm',
    external: externalBut(['zod']),
    plugins: [requireExternals(RUNNER_CJS_PACKAGES), zodEnglishOnly()],
    banner: { js: REQUIRE_BANNER },
    minifyWhitespace: true,
  }),
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

// Chunks of earlier builds: names carry a content hash, and an API started before this build may still load its own
// on first use, so only those older than an hour go.
const current = new Set(Object.keys(apiBuild.metafile.outputs).map((f) => f.replace(/^dist\//, '')));
for (const name of await readdir(`${root}dist/chunks`)) {
  const file = `${root}dist/chunks/${name}`;
  if (!current.has(`chunks/${name}`) && (await stat(file)).mtimeMs < Date.now() - 3_600_000) await rm(file, { force: true });
}

// The one-exec sandbox helper (runner/src/sandbox/native): about 0.5 ms per job instead of ~2 ms for the
// prlimit → setpriv → unshare chain. Optional: without a C compiler the runner uses the util-linux chain.
// Built to a temporary name and renamed into place, so a runner spawning it never sees a half-written file;
// skipped when the binary is newer than its source.
const helperSrc = `${root}runner/src/sandbox/native/netdiag-sandbox.c`;
const helperOut = `${root}dist/netdiag-sandbox`;
const newer = (a, b) => existsSync(a) && statSync(a).mtimeMs >= statSync(b).mtimeMs;
// One translation unit: the .c includes the .h files next to it (one concept each), so any of them changing means a rebuild.
const helperParts = readdirSync(`${root}runner/src/sandbox/native`)
  .filter((f) => f.endsWith('.c') || f.endsWith('.h'))
  .map((f) => `${root}runner/src/sandbox/native/${f}`);
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
