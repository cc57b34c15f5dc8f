import { randomInt } from 'node:crypto';
import { errorInfo } from '../../shared/errors/codes';
import { type PingResult, pingTool } from './definition';
import { sanitizeLine } from '../../shared/text/sanitize';
import { type SpawnResult, type ExecTarget, type Parsed, defineExecutor } from '../../shared/tool/executor';

const REPLY = /^(\d+) bytes from [^:]+: icmp_seq=(\d+)(?: ttl=(\d+))?(?: time=([\d.]+) ms)?/;
const SUMMARY = /(\d+) packets transmitted, (\d+) received(?:, \+\d+ duplicates)?(?:, \+\d+ errors)?, ([\d.]+)% packet loss/;
const RTT = /= ([\d.]+)\/([\d.]+)\/([\d.]+)\/([\d.]+) ms/;

/** Parse iputils-ping output. Exported for tests. */
export function parsePingOutput(stdout: string, target: ExecTarget): Omit<PingResult, 'truncated'> | undefined {
  const replies: PingResult['replies'] = [];
  for (const line of stdout.split('\n')) {
    const m = REPLY.exec(line);
    if (m && replies.length < 10) {
      replies.push({ bytes: Number(m[1]), seq: Number(m[2]), ttl: m[3] ? Number(m[3]) : null, timeMs: m[4] ? Number(m[4]) : null });
    }
  }
  const summary = SUMMARY.exec(stdout);
  if (!summary) return undefined;
  const rtt = RTT.exec(stdout);
  return {
    target: target.target,
    address: target.address,
    transmitted: Number(summary[1]),
    received: Number(summary[2]),
    lossPercent: Number(summary[3]),
    rtt: rtt ? { minMs: Number(rtt[1]), avgMs: Number(rtt[2]), maxMs: Number(rtt[3]), mdevMs: Number(rtt[4]) } : null,
    replies,
  };
}

export const pingExecutor = defineExecutor(pingTool, {
  kind: 'binary',
  flags: ['-n', '-4', '-6', '-e', '-c', '-i', '-s', '-W', '-w', '--'],
  argv(p, t) {
    // -w: ping's own overall deadline, so it reports a summary before the runner's kill.
    const deadline = Math.ceil(p.count * p.intervalSec + 2);
    // -e: a random ICMP identifier per job. ping derives it from its pid otherwise, and every job in its own PID
    // namespace is pid 1: concurrent pings would then read each other's replies.
    return [
      '-n',
      t.family === 6 ? '-6' : '-4',
      '-e',
      String(randomInt(1, 65_536)),
      '-c',
      String(p.count),
      '-i',
      String(p.intervalSec),
      '-s',
      String(p.packetSize),
      '-W',
      '2',
      '-w',
      String(deadline),
      '--',
      t.address,
    ];
  },
  parse(out: SpawnResult, _p, t): Parsed {
    const parsed = parsePingOutput(out.stdout, t);
    // Exit 1 with a summary is loss (even 100%): a result, not a failure.
    if (parsed && (out.exitCode === 0 || out.exitCode === 1 || out.timedOut || out.cancelled)) {
      return { ok: true, result: { ...parsed, truncated: out.stdoutTruncated } };
    }
    const reason = sanitizeLine(out.stderr.trim().split('\n')[0] ?? '') || `exit code ${String(out.exitCode)}`;
    return { ok: false, error: errorInfo('EXECUTION_ERROR', `ping failed: ${reason}`, { details: { exitCode: out.exitCode } }) };
  },
  createProgress: (p) => (chunk) => {
    // A reply line split across chunks is counted with the next one: progress only ever moves forward.
    const seqs = [...chunk.matchAll(/icmp_seq=(\d+)/g)].map((m) => Number(m[1]));
    const last = seqs[seqs.length - 1];
    return last === undefined ? undefined : { progress: last, total: p.count, message: `reply ${last}/${p.count}` };
  },
});
