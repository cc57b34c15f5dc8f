/** `npm run bench`: prints figures; nothing here asserts timings. Loopback only. */
import { benchControlPlane } from './control-plane';
import { benchMcp } from './mcp';
import { benchObservability } from './observability';
import { benchPathOverhead } from './path-overhead';
import { benchSandbox } from './sandbox';
import { benchValidationReject } from './validation-reject';

const sections: Array<[string, () => Promise<void>]> = [
  ['path overhead', () => benchPathOverhead()],
  ['validation reject', () => benchValidationReject()],
  ['sandbox', () => benchSandbox()],
  ['control plane', () => benchControlPlane()],
  ['mcp', () => benchMcp()],
  ['observability', () => benchObservability()],
];

const only = process.argv[2];
for (const [name, run] of sections) {
  if (only && !name.includes(only)) continue;
  await run();
}
process.stdout.write('\n');
