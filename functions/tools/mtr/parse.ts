/**
 * Parsing of `mtr --json` (mtr-tiny 0.95 on Debian, built with jansson), always run with -n and -o LSNABWV:
 *   { "report": { "mtr": { "dst": "10.0.0.5", "tests": 2, ... },
 *                 "hubs": [ { "count": 1, "host": "10.0.0.1", "Loss%": 0.0, "Snt": 2,
 *                             "Last": 0.41, "Avg": 0.4, "Best": 0.39, "Wrst": 0.41, "StDev": 0.01 } ] } }
 * Older builds without jansson print count/tests as strings, so numbers are accepted in either form.
 * A hop that never answered has host "???".
 */
import { MTR_LIMITS, type MtrHop, type MtrResult } from './definition';
import type { ExecTarget } from '../../shared/tool/executor';
import { hopAddress, sameAddress } from '../common/hop-address';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A finite, non-negative number from a JSON number or numeric string; undefined otherwise. */
function num(v: unknown): number | undefined {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+(?:\.\d+)?$/.test(v) ? Number(v) : Number.NaN;
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}

function parseHub(hub: unknown): MtrHop | undefined {
  if (!isRecord(hub)) return undefined;
  const hop = num(hub['count']);
  const loss = num(hub['Loss%']);
  const sent = num(hub['Snt']);
  if (hop === undefined || !Number.isInteger(hop) || hop < 1 || hop > MTR_LIMITS.hops || loss === undefined || sent === undefined) return undefined;
  const address = typeof hub['host'] === 'string' ? hopAddress(hub['host'], MTR_LIMITS.addressChars) : null;
  const lossPercent = Math.min(loss, 100);
  // mtr prints 0.0 for the times of a hop with no reply; null says "no data" instead of "0 ms".
  const answered = address !== null && lossPercent < 100;
  const ms = (key: string): number | null => (answered ? (num(hub[key]) ?? null) : null);
  return {
    hop,
    address,
    lossPercent,
    sent: Math.trunc(sent),
    lastMs: ms('Last'),
    avgMs: ms('Avg'),
    bestMs: ms('Best'),
    worstMs: ms('Wrst'),
    stdevMs: ms('StDev'),
  };
}

/** Parse mtr's JSON report. Undefined when it is not a report (no JSON, no hubs array). Exported for tests. */
export function parseMtrJson(stdout: string, target: ExecTarget): Omit<MtrResult, 'truncated' | 'cycles'> | undefined {
  let doc: unknown;
  try {
    doc = JSON.parse(stdout);
  } catch {
    return undefined;
  }
  const report = isRecord(doc) ? doc['report'] : undefined;
  const hubs = isRecord(report) ? report['hubs'] : undefined;
  if (!Array.isArray(hubs)) return undefined;
  const hops: MtrHop[] = [];
  for (const hub of hubs) {
    const hop = parseHub(hub);
    const previous = hops[hops.length - 1]?.hop ?? 0;
    // Hop numbers only grow; anything else is dropped rather than trusted.
    if (hop && hop.hop > previous) hops.push(hop);
  }
  const last = hops[hops.length - 1];
  return {
    target: target.target,
    address: target.address,
    hops,
    reachedDestination: last !== undefined && last.lossPercent < 100 && sameAddress(last.address, target.address),
  };
}
