import { errorInfo } from '../../shared/errors/codes';
import { type TracerouteProtocol, tracerouteTool } from './definition';
import { type SpawnResult, type Parsed, defineExecutor } from '../../shared/tool/executor';
import { firstStderrLine } from '../common/hop-address';
import { createHopProgress, parseTracerouteOutput } from './parse';

/**
 * Probe method flags. udp is traceroute's default method (UDP to ports from 33434 up), so it needs no flag.
 * -I and -T need raw sockets; the policy's checkParams refuses them on an unprivileged runner.
 * Never built here, whatever the parameters: -A (AS lookups, network traffic to registries), -g (source routing),
 * -s (source address), -i (interface).
 */
const PROTOCOL_FLAGS: Readonly<Record<TracerouteProtocol, readonly string[]>> = { udp: [], icmp: ['-I'], tcp: ['-T'] };

export const tracerouteExecutor = defineExecutor(tracerouteTool, {
  kind: 'binary',
  flags: ['-n', '-4', '-6', '-I', '-T', '-m', '-q', '-w', '--'],
  argv(p, t) {
    // -n: no DNS (the address is pinned); -4/-6 by the pinned family. traceroute 2.1.2 honours "--"
    // (checked: an option-like word after it is read as the host), and a validated IP literal never starts with "-".
    return [
      '-n',
      t.family === 6 ? '-6' : '-4',
      ...PROTOCOL_FLAGS[p.protocol],
      '-m',
      String(p.maxHops),
      '-q',
      String(p.queries),
      '-w',
      String(p.waitSec),
      '--',
      t.address,
    ];
  },
  parse(out: SpawnResult, p, t): Parsed {
    const parsed = parseTracerouteOutput(out.stdout, t, p.maxHops, p.queries);
    const result = parsed ? { ...parsed, protocol: p.protocol, truncated: out.stdoutTruncated } : undefined;
    // Hops that all time out are still a result. A stop (deadline, cancel) keeps what was traced so far.
    if (result && (out.exitCode === 0 || out.timedOut || out.cancelled)) return { ok: true, result };
    const reason = firstStderrLine(out.stderr, out.exitCode);
    return {
      ok: false,
      error: errorInfo('EXECUTION_ERROR', `traceroute failed: ${reason}`, { details: { exitCode: out.exitCode } }),
      partial: result,
    };
  },
  createProgress: (p) => createHopProgress(p.maxHops),
});
