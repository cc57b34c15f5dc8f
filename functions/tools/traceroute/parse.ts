/**
 * Parsing of Linux traceroute 2.x output (Debian package `traceroute`), always run with -n. Shapes seen:
 *   traceroute to 10.0.0.5 (10.0.0.5), 30 hops max, 60 byte packets
 *    1  10.0.0.1  0.412 ms  0.388 ms  0.360 ms
 *    2  10.1.0.1  1.102 ms 10.1.0.9  1.350 ms *       <- address printed again only when it changes
 *    3  * * *
 *    4  10.0.0.5  2.001 ms !H  2.120 ms !H  1.980 ms !H
 */
import type { JobProgress } from '../../shared/jobs/contract';
import { TRACEROUTE_LIMITS, type TracerouteHop, type TracerouteResult } from './definition';
import { sanitizeLine } from '../../shared/text/sanitize';
import type { ExecTarget } from '../../shared/tool/executor';
import { hopAddress, sameAddress } from '../common/hop-address';

type Probe = TracerouteHop['probes'][number];

const HEADER = /^traceroute to \S+ \(([^)]*)\)/m;
/** A hop line: the TTL right-aligned in two columns ("%2u "), then the probes. */
const HOP_LINE = /^\s*(\d{1,3})(?:\s+(.*))?$/;
const RTT = /^\d+(?:\.\d+)?$/;

/** Probes of one hop line. Anything unexpected (names, extensions) is skipped: -n and no -e mean none appear. */
export function parseProbes(rest: string, limit: number): Probe[] {
  const tokens = rest.split(/\s+/).filter((t) => t.length > 0);
  const probes: Probe[] = [];
  // traceroute prints an address before the first probe it answered and again only when it changes,
  // so later times belong to the last address seen (a timeout in between does not reset it).
  let current: string | null = null;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] ?? '';
    if (token === '*') {
      probes.push({ address: null, rttMs: null, annotation: null });
    } else if (RTT.test(token) && tokens[i + 1] === 'ms') {
      probes.push({ address: current, rttMs: Number(token), annotation: null });
      i++;
    } else if (token.startsWith('!')) {
      const last = probes[probes.length - 1];
      if (last) last.annotation = sanitizeLine(token, TRACEROUTE_LIMITS.annotationChars);
    } else {
      current = hopAddress(token, TRACEROUTE_LIMITS.addressChars) ?? current;
    }
  }
  return probes.slice(0, limit);
}

/** Parse a whole run. Undefined when the header is missing: traceroute never got as far as probing. Exported for tests. */
export function parseTracerouteOutput(
  stdout: string,
  target: ExecTarget,
  maxHops: number,
  queries: number,
): Omit<TracerouteResult, 'truncated' | 'protocol'> | undefined {
  if (!HEADER.test(stdout)) return undefined;
  const hops: TracerouteHop[] = [];
  for (const line of stdout.split('\n')) {
    const m = HOP_LINE.exec(line);
    if (!m) continue;
    const ttl = Number(m[1]);
    // TTLs only grow; a line out of order or beyond the bound is not ours to trust.
    const previous = hops[hops.length - 1]?.ttl ?? 0;
    if (ttl <= previous || ttl > maxHops || ttl > TRACEROUTE_LIMITS.hops) continue;
    const probes = parseProbes(m[2] ?? '', Math.min(queries, TRACEROUTE_LIMITS.probesPerHop));
    hops.push({ ttl, probes, timeouts: probes.filter((p) => p.rttMs === null).length });
  }
  const last = hops[hops.length - 1];
  return {
    target: target.target,
    address: target.address,
    maxHops,
    hops,
    reachedDestination: last?.probes.some((p) => sameAddress(p.address, target.address)) ?? false,
  };
}

/**
 * Progress from stdout chunks of one run. traceroute flushes after every probe and starts each hop line with
 * "\n%2u ", so a hop is known as soon as its number and the following space arrive, before its line ends.
 * Chunks may split anywhere: the unfinished line is carried over to the next chunk.
 */
export function createHopProgress(total: number): (chunk: string) => JobProgress | undefined {
  let pending = '';
  let reported = 0;
  return (chunk) => {
    const lines = (pending + chunk).split('\n');
    // Only the start of a line matters, so a very long unfinished line is cut to bound memory.
    pending = (lines.pop() ?? '').slice(0, 256);
    let hop = reported;
    for (const line of [...lines, pending]) {
      const m = /^\s*(\d{1,3})\s/.exec(line);
      if (m) hop = Math.max(hop, Number(m[1]));
    }
    if (hop === reported || hop > total) return undefined;
    reported = hop;
    return { progress: hop, total, message: `hop ${hop}/${total}` };
  };
}
