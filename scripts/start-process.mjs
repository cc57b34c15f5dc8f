// `npm run start:api` / `npm run start:runner`: one production process, configured only by its environment and
// MCP_CONFIG_FILE. Unlike `npm start` (scripts/dev.mjs) it makes nothing up: no tokens, no loopback allowance, no
// state directory; a missing required setting stops it with exit 78 and a message naming the setting. It runs the
// built bundle in this very process (no child, so signals and the PID are the bundle's own), and does not build:
// the container images (infra/docker/) run the files their build stage made, with no dev dependencies to build with.
// See docs/design.md, "Deployment".
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const bundles = { api: 'dist/api.mjs', runner: 'dist/runner.mjs' };
const which = process.argv[2];
const bundle = bundles[which];
if (bundle === undefined) {
  process.stderr.write(`usage: node scripts/start-process.mjs ${Object.keys(bundles).join('|')}\n`);
  process.exit(64);
}
const file = fileURLToPath(new URL(`../${bundle}`, import.meta.url));
if (!existsSync(file)) {
  process.stderr.write(`netdiag-${which}: ${bundle} does not exist: run \`npm run build\` first (npm run start:${which} runs the built bundle)\n`);
  process.exit(78);
}
await import(pathToFileURL(file).href);
