import { isIP } from 'node:net';
import { errorInfo } from '../../shared/errors/codes';
import { type DigParams, digTool } from './definition';
import { sanitizeLine } from '../../shared/text/sanitize';
import { type SpawnResult, type ExecTarget, type Parsed, type ToolSettings, defineExecutor } from '../../shared/tool/executor';
import { noReplyReason, parseDigOutput } from './parse';

/**
 * dig's own deadline, inside the runner's: +time per try, +tries attempts, so dig reports "no reply" itself
 * before the runner has to kill it. Both bounded whatever the caller asks.
 */
export function digTiming(timeoutSec: number): { time: number; tries: number } {
  const tries = timeoutSec >= 3 ? 2 : 1;
  const time = Math.min(5, Math.max(1, Math.floor((timeoutSec - 1) / tries)));
  return { time, tries };
}

/**
 * A resolver dig can be pointed at: an IP literal. The config regex also lets through "999.1.1.1" or "010.0.0.53",
 * which dig would treat as a hostname and look up through the system resolver, the very thing we must avoid.
 */
function resolverUsable(settings: ToolSettings): boolean {
  return settings.dnsResolver !== undefined && isIP(settings.dnsResolver.address) !== 0;
}

/**
 * Build dig's argv. Only the configured resolver is ever contacted: @server and -p come from the runner's
 * settings, and without them there is no argv at all (dig would otherwise fall back to /etc/resolv.conf).
 * dig does not honour "--", so the name goes after -q (which takes the next argument verbatim, even "-x")
 * and an address after -x; the type comes from the enum. +trace, AXFR/IXFR, -f, -k and -y are never built.
 */
export function digArgv(p: DigParams, t: ExecTarget, settings: ToolSettings): string[] {
  const resolver = settings.dnsResolver;
  if (!resolver || !resolverUsable(settings))
    throw new Error('dig needs NETDIAG_DNS_RESOLVER set to an IP literal; refusing to run it against the system resolver');
  const { time, tries } = digTiming(p.timeoutSec ?? digTool.policy.defaultTimeoutSec);
  const query = isIP(t.address) !== 0 ? ['-x', t.address] : ['-t', p.type, '-q', t.address];
  return [
    '-r', // never read ~/.digrc: it could add options behind our back
    isIP(resolver.address) === 6 ? '-6' : '-4',
    `@${resolver.address}`,
    '-p',
    String(resolver.port),
    '-c',
    'IN',
    `+time=${time}`,
    `+tries=${tries}`,
    '+nosearch', // the name is looked up as given, never with the host's search list appended
    '+nocmd',
    '+noadditional',
    '+nomultiline',
    '+nottlunits',
    '+noidnout',
    ...query,
  ];
}

export function parseDig(out: SpawnResult, p: DigParams, t: ExecTarget): Parsed {
  const parsed = parseDigOutput(out.stdout);
  // Any reply is a result, whatever its status: NXDOMAIN, SERVFAIL and REFUSED are answers from the resolver.
  if (parsed) {
    const { recordsDropped, ...reply } = parsed;
    const reverse = isIP(t.address) !== 0;
    return { ok: true, result: { name: t.target, reverse, ...reply, truncated: out.stdoutTruncated || recordsDropped } };
  }
  const asked = isIP(t.address) !== 0 ? 'PTR' : p.type;
  const why = noReplyReason(`${out.stdout}\n${out.stderr}`);
  if (why) {
    const at = why.server ? ` at ${sanitizeLine(why.server, 64)}` : '';
    return {
      ok: false,
      error: errorInfo(
        'EXECUTION_ERROR',
        `No reply from the lab DNS resolver${at}: ${sanitizeLine(why.reason, 60)}. The query for ${t.target} (${asked}) got no answer.`,
        {
          recoverySuggestion: "Check that the lab resolver in the runner's NETDIAG_DNS_RESOLVER is running and reachable, then try again.",
          details: { exitCode: out.exitCode },
        },
      ),
    };
  }
  const reason =
    sanitizeLine(out.stderr.trim().split('\n')[0] ?? '') || sanitizeLine(out.stdout.trim().split('\n')[0] ?? '') || `exit code ${String(out.exitCode)}`;
  return { ok: false, error: errorInfo('EXECUTION_ERROR', `dig failed: ${reason}`, { details: { exitCode: out.exitCode } }) };
}

export const digExecutor = defineExecutor(digTool, {
  kind: 'binary',
  flags: [
    '-r',
    '-4',
    '-6',
    '-p',
    '-c',
    '-t',
    '-q',
    '-x',
    '+time',
    '+tries',
    '+nosearch',
    '+nocmd',
    '+noadditional',
    '+nomultiline',
    '+nottlunits',
    '+noidnout',
  ],
  // Without a configured lab resolver there is nothing safe to ask: the tool is not offered.
  unavailable: (settings) => (resolverUsable(settings) ? undefined : 'no lab DNS resolver configured (set NETDIAG_DNS_RESOLVER on the runner)'),
  argv: digArgv,
  parse: parseDig,
});
