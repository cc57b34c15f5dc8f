/** `npm run bench`: prints figures; nothing here asserts timings. Loopback only. */
import { benchCancelLatency } from './cancel-latency';
import { benchControlPlane } from './control-plane';
import { benchMcp } from './mcp';
import { benchMcpFeatures } from './mcp-features';
import { benchObservability } from './observability';
import { benchPathOverhead } from './path-overhead';
import { benchSandbox } from './sandbox';
import { benchTls } from './tls';
import { benchValidationReject } from './validation-reject';

const sections: Array<[string, () => Promise<void>]> = [
  ['path overhead', () => benchPathOverhead()],
  ['validation reject', () => benchValidationReject()],
  ['sandbox', () => benchSandbox()],
  ['control plane', () => benchControlPlane()],
  ['mcp', () => benchMcp()],
  ['mcp features', () => benchMcpFeatures()],
  ['observability', () => benchObservability()],
  ['cancel latency', () => benchCancelLatency()],
  ['tls', () => benchTls()],
];

const only = process.argv[2];
for (const [name, run] of sections) {
  if (only && !name.includes(only)) continue;
  await run();
}
process.stdout.write('\n');
