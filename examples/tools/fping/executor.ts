/** fping's runner half: argv from typed parameters only, every option declared, the summary parsed into the result. */
import { errorInfo } from '../../../functions/shared/errors/codes';
import { sanitizeLine } from '../../../functions/shared/text/sanitize';
import { type Parsed, defineExecutor } from '../../../functions/shared/tool/executor';
import { tool } from './definition';
import { parseFpingSummary } from './parse';

export const executor = defineExecutor(tool, {
  kind: 'binary',
  // The pipeline refuses a job whose argv holds any option not listed here, before anything runs.
  flags: ['-C', '-p', '-t', '-b', '-4', '-6', '--'],
  argv: (p, t) => [
    // -C: per-request times on stderr at the end; the address (never a name: the runner pinned it) after --.
    t.family === 6 ? '-6' : '-4',
    '-C',
    String(p.count),
    '-p',
    String(p.intervalMs),
    '-t',
    String(p.probeTimeoutMs),
    '-b',
    String(p.packetSize),
    '--',
    t.address,
  ],
  parse(out, _p, t): Parsed {
    const result = parseFpingSummary(out.stderr, t);
    // Exit 1 = some requests unanswered: a result. A timeout or cancellation keeps what was printed.
    if (result && (out.exitCode === 0 || out.exitCode === 1 || out.timedOut || out.cancelled)) return { ok: true, result };
    const reason = sanitizeLine(out.stderr.trim().split('\n')[0] ?? '') || `exit code ${String(out.exitCode)}`;
    return { ok: false, error: errorInfo('EXECUTION_ERROR', `fping failed: ${reason}`, { details: { exitCode: out.exitCode } }) };
  },
  createProgress: (p) => {
    let seen = 0;
    return (chunk) => {
      // Without -q fping prints "addr : [n], 64 bytes, 0.04 ms (…)" per reply on stdout.
      const before = seen;
      for (const m of chunk.matchAll(/: \[(\d+)\]/g)) seen = Math.max(seen, Number(m[1]) + 1);
      return seen === before ? undefined : { progress: seen, total: p.count, message: `reply ${seen}/${p.count}` };
    };
  },
});
