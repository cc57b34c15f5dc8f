// Builds the publishable @netdiag/client into openapi/dist/ (npm run build:sdk; npm pack in openapi/ runs it too):
// index.js and node.js are ESM bundles (esbuild: the SDK's source imports a few kernel helpers with extensionless
// paths, which Node's ESM loader would not resolve; bundling inlines them and leaves no runtime dependency), and the
// .d.ts files come from tsc (openapi/tsconfig.sdk.json), with the generated schema types beside them.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = `${root}openapi/dist`;
rmSync(out, { recursive: true, force: true });

const common = { bundle: true, format: 'esm', target: 'es2022', sourcemap: false, logLevel: 'warning', absWorkingDir: root };
await Promise.all([
  // Runtime-neutral: fetch, streams and TextDecoder only (browsers, Deno, Workers, Node). The runner protocol
  // (/runner/*, the API's private contract with its runners) is an entry of its own, so a program using the client
  // never loads it; what both share (the transport, NetdiagError) is one file, shared.js, so `instanceof NetdiagError`
  // holds whichever entry the error came from.
  build({
    ...common,
    entryPoints: { index: 'openapi/sdk/src/index.ts', runner: 'openapi/sdk/src/runner.ts' },
    outdir: 'openapi/dist',
    splitting: true,
    chunkNames: 'shared',
    platform: 'neutral',
  }),
  build({ ...common, entryPoints: ['openapi/sdk/src/node.ts'], outfile: 'openapi/dist/node.js', platform: 'node', target: 'node20' }),
]);

const types = mkdtempSync(join(tmpdir(), 'netdiag-sdk-types-'));
try {
  const tsc = spawnSync(process.execPath, [`${root}node_modules/typescript/bin/tsc`, '-p', `${root}openapi/tsconfig.sdk.json`, '--outDir', types], {
    stdio: 'inherit',
  });
  if (tsc.status !== 0) throw new Error('tsc failed on openapi/tsconfig.sdk.json');
  const emitted = join(types, 'openapi/sdk/src');
  for (const file of readdirSync(emitted).filter((f) => f.endsWith('.d.ts'))) {
    // The schema types sit beside the declarations in the package (../../schema.js in the source tree).
    const text = readFileSync(join(emitted, file), 'utf8').replaceAll("'../../schema.js'", "'./schema.js'");
    if (/from '\.\.\//.test(text)) throw new Error(`${file}: a declaration reaches outside the package`);
    writeFileSync(join(out, file), text);
  }
  copyFileSync(`${root}openapi/schema.d.ts`, join(out, 'schema.d.ts'));
} finally {
  rmSync(types, { recursive: true, force: true });
}
