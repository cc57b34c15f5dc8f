import { errorInfo } from '../../shared/errors/codes';
import { mtrTool } from './definition';
import { type SpawnResult, type Parsed, defineExecutor } from '../../shared/tool/executor';
import { firstStderrLine } from '../common/hop-address';
import { parseMtrJson } from './parse';

/**
 * mtr in report style only: --json prints one report after the last cycle and never opens curses.
 * Never built here: -F (reads target names from a file), -y/-z (IP info and AS lookups: DNS traffic to public
 * services), -I/-a (interface, source address), and no -i: intervals under 1 s need root and would be a flood knob.
 * MTR_OPTIONS and MTR_PACKET (which replace options and the helper binary) never pass the scrubbed environment.
 */
export const mtrExecutor = defineExecutor(mtrTool, {
  kind: 'binary',
  flags: ['-n', '-4', '-6', '--json', '-o', '-c', '-m', '-G', '--'],
  argv(p, t) {
    // -n: no DNS (the address is pinned); -o pins the field set the parser reads, whatever the defaults;
    // -G bounds the wait for late replies. mtr parses options with getopt_long, which honours "--"
    // (checked: an option-like word after it is taken as the host name).
    return [
      '-n',
      t.family === 6 ? '-6' : '-4',
      '--json',
      '-o',
      'LSNABWV',
      '-c',
      String(p.cycles),
      '-m',
      String(p.maxHops),
      '-G',
      String(p.waitSec),
      '--',
      t.address,
    ];
  },
  parse(out: SpawnResult, p, t): Parsed {
    const parsed = parseMtrJson(out.stdout, t);
    if (parsed && out.exitCode === 0) {
      return { ok: true, result: { ...parsed, cycles: p.cycles, truncated: out.stdoutTruncated } };
    }
    // mtr prints its report only at the end: a run without one has nothing partial to give. It can also exit 0
    // with no report at all (e.g. "Failed to resolve host"), hence the check on the output, not the exit code.
    const reason = firstStderrLine(out.stderr, out.exitCode);
    return { ok: false, error: errorInfo('EXECUTION_ERROR', `mtr failed: ${reason}`, { details: { exitCode: out.exitCode } }) };
  },
});
