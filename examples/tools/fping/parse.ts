/** fping -C output: the per-target summary line on stderr, e.g. "127.0.0.1 : 0.041 - 0.039" ("-" = no reply). */
import type { ExecTarget } from '../../../functions/shared/tool/executor';
import type { FpingResult } from './definition';

const SUMMARY = /^\S+\s+:\s+((?:(?:\d+(?:\.\d+)?|-)\s*)+)$/m;

const round = (n: number): number => Math.round(n * 1000) / 1000;

/** The result, or undefined when fping printed no summary (it did not get to probe). */
export function parseFpingSummary(stderr: string, target: ExecTarget): FpingResult | undefined {
  const m = SUMMARY.exec(stderr);
  if (!m?.[1]) return undefined;
  const rttMs = m[1]
    .trim()
    .split(/\s+/)
    .map((t) => (t === '-' ? null : Number(t)));
  const replies = rttMs.filter((t): t is number => t !== null);
  const sent = rttMs.length;
  return {
    target: target.target,
    address: target.address,
    sent,
    received: replies.length,
    lossPercent: sent === 0 ? 0 : round(((sent - replies.length) / sent) * 100),
    rttMs,
    stats:
      replies.length === 0
        ? null
        : { minMs: Math.min(...replies), avgMs: round(replies.reduce((a, b) => a + b, 0) / replies.length), maxMs: Math.max(...replies) },
  };
}
