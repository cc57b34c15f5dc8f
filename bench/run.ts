/** `npm run bench`: prints figures; nothing here asserts timings. Loopback only. */
import { benchAbBuilds } from './ab-builds';
import { benchAbPaced } from './ab-paced';
import { benchBroker } from './broker';
import { benchCancelLatency } from './cancel-latency';
import { benchControlPlane } from './control-plane';
import { benchJobExit } from './job-exit';
import { benchMcp } from './mcp';
import { benchMcpFeatures } from './mcp-features';
import { benchIdleWake } from './idle-wake';
import { benchMemory } from './memory';
import { benchNpmStart } from './npm-start';
import { benchObservability } from './observability';
import { benchPaced } from './paced';
import { benchPathOverhead } from './path-overhead';
import { benchSandbox } from './sandbox';
import { benchSpawnServer } from './spawn-server';
import { benchThroughput } from './throughput';
import { benchTls } from './tls';
import { benchValidationReject } from './validation-reject';
import { benchWorkers } from './workers';

const sections: Array<[string, () => Promise<void>]> = [
  // The headline (issue 12): what users run, `npm start`, against the binary run directly.
  ['npm start', () => benchNpmStart()],
  // issue 12: the same calls paced like a user's, the machine idle before each; and what idleness costs one hop here.
  ['paced', () => benchPaced()],
  ['idle wake', () => benchIdleWake()],
  ['path overhead', () => benchPathOverhead()],
  ['validation reject', () => benchValidationReject()],
  ['sandbox', () => benchSandbox()],
  // issue 12: the runner's resident spawn server against Node's spawn() per job (fork of the ~80 MB runner).
  ['spawn server', () => benchSpawnServer()],
  // issues 15 and 12: a job's exit to the runner's answer, its mount namespace torn down after the status (early-status.h).
  ['job exit', () => benchJobExit()],
  ['control plane', () => benchControlPlane()],
  ['mcp', () => benchMcp()],
  ['mcp features', () => benchMcpFeatures()],
  ['observability', () => benchObservability()],
  ['cancel latency', () => benchCancelLatency()],
  ['tls', () => benchTls()],
  // Only with BENCH_DIST_A and BENCH_DIST_B set (two builds to compare).
  ['a/b builds', () => benchAbBuilds()],
  // The same two builds called as an assistant calls them: idle past the warm job processes' limit before each round.
  ['builds paced', () => benchAbPaced()],
  // issue 12: 200 concurrent REST callers against the same spawns made directly, npm start configuration.
  ['throughput', () => benchThroughput()],
  // issue 12: idle RSS of the API and the runner, npm start configuration.
  ['memory', () => benchMemory()],
  // issue 11: the Worker in workerd (Durable Object broker) next to the Node API.
  ['workers', () => benchWorkers()],
  // issue 10: the job store in memory against Redis (real redis-server on loopback): dispatch latency and throughput.
  ['broker', () => benchBroker()],
];

// A section named exactly runs alone ('paced' is also part of 'builds paced'); else every section whose name has it.
const only = process.argv[2];
const exact = sections.some(([name]) => name === only);
for (const [name, run] of sections) {
  if (only && (exact ? name !== only : !name.includes(only))) continue;
  await run();
}
process.stdout.write('\n');
