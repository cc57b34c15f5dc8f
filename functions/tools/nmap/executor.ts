import { errorInfo } from '../../shared/errors/codes';
import { type NmapParams, type NmapResult, nmapNeedsRawSocket, nmapTool } from './definition';
import { checkPortSpec } from './ports';
import { sanitizeLine } from '../../shared/text/sanitize';
import { type SpawnResult, type ExecTarget, type Parsed, defineExecutor } from '../../shared/tool/executor';
import { progressReader } from './progress';
import { readNmapXml } from './parse';

export const STATS_EVERY_SEC = 2;
export const DEFAULT_TOP_PORTS = 100;

/**
 * Always first, whatever the parameters: no DNS (the address is pinned), XML on stdout and no stylesheet
 * reference in it, progress reports. --noninteractive is deliberately absent: in nmap 7.93 it also switches off
 * --stats-every (both live in keyWasPressed(), which returns early when noninteractive). Keyboard interaction is
 * impossible anyway: the sandbox spawns nmap detached (its own session, no controlling terminal, so opening
 * /dev/tty fails with ENXIO) with stdin on /dev/null. --datadir: nmap would otherwise look for nse_main.lua, the
 * scripts and script.db in ~/.nmap and the working directory before /usr/share/nmap; only Debian's is trusted.
 */
export const NMAP_DATADIR = '/usr/share/nmap';
export const FIXED_OPTIONS: readonly string[] = ['-n', '-oX', '-', '--no-stylesheet', '--stats-every', `${STATS_EVERY_SEC}s`, '--datadir', NMAP_DATADIR];

const SCAN_FLAGS: Readonly<Record<NmapParams['scanType'], string>> = { connect: '-sT', syn: '-sS', udp: '-sU' };

/**
 * Every option-like token the builder can emit. Nothing else that starts with "-" ever reaches nmap; the tests
 * hold the builder to this list.
 */
export const EMITTED_OPTIONS: ReadonlySet<string> = new Set([
  ...FIXED_OPTIONS.filter((o) => o.startsWith('-') && o !== '-'),
  '-6',
  ...Object.values(SCAN_FLAGS),
  '-O',
  '-p',
  '--top-ports',
  '-T0',
  '-T1',
  '-T2',
  '-T3',
  '-T4',
  '-sV',
  '--script',
  '--host-timeout',
  '--privileged',
  '--',
]);

export function buildNmapArgv(p: NmapParams, t: ExecTarget): string[] {
  // The schema already refused a bad spec; checked again because this is the last step before argv.
  if (p.ports !== undefined && !checkPortSpec(p.ports).ok) throw new Error('nmap: invalid port spec reached the argv builder');
  const scripts = [...new Set(p.scripts)];
  return [
    ...FIXED_OPTIONS,
    ...(t.family === 6 ? ['-6'] : []),
    SCAN_FLAGS[p.scanType],
    ...(p.osDetection ? ['-O'] : []),
    // The sandbox runs nmap as an unprivileged user with only CAP_NET_RAW; nmap decides by uid unless told.
    ...(nmapNeedsRawSocket(p) ? ['--privileged'] : []),
    ...(p.ports !== undefined ? ['-p', p.ports] : ['--top-ports', String(p.topPorts ?? DEFAULT_TOP_PORTS)]),
    `-${p.timing}`,
    ...(p.serviceDetection ? ['-sV'] : []),
    ...(scripts.length > 0 ? ['--script', scripts.join(',')] : []),
    ...(p.hostTimeoutSec !== undefined ? ['--host-timeout', `${p.hostTimeoutSec}s`] : []),
    // nmap 7.93 honours "--": checked that "-oN /tmp/x" after it is read as two targets and writes no file.
    '--',
    t.address,
  ];
}

/** Turn nmap's output into a result; exported for tests with captured output. */
export function parseNmapRun(out: SpawnResult, t: ExecTarget): Parsed {
  const xml = readNmapXml(out.stdout);
  const stopped = out.timedOut || out.cancelled;
  const result: NmapResult = {
    target: t.target,
    address: t.address,
    hosts: xml.hosts,
    stats: xml.stats,
    truncated: out.stdoutTruncated || xml.hostsTruncated,
  };
  // Stopped early: whatever nmap finished is the partial result; the runner reports TIMEOUT or CANCELLED.
  if (stopped) return { ok: true, result };
  if (!xml.started) {
    const reason = sanitizeLine(out.stderr.trim().split('\n')[0] ?? '', 300) || `exit code ${String(out.exitCode)}`;
    return { ok: false, error: errorInfo('EXECUTION_ERROR', `nmap failed: ${reason}`, { details: { exitCode: out.exitCode } }) };
  }
  if (xml.stats?.exit === 'error' && xml.hosts.length === 0) {
    const reason = xml.stats.errorMessage ?? `exit code ${String(out.exitCode)}`;
    return { ok: false, error: errorInfo('EXECUTION_ERROR', `nmap failed: ${reason}`, { details: { exitCode: out.exitCode } }), partial: result };
  }
  // A non-zero exit with usable XML is still a result (stats.exit says how nmap ended).
  return { ok: true, result };
}

export const nmapExecutor = defineExecutor(nmapTool, {
  kind: 'binary',
  // '-' is the value of -oX (XML to stdout).
  flags: [...EMITTED_OPTIONS, '-'],
  argv: (p, t) => buildNmapArgv(p, t),
  parse: (out, _p, t) => parseNmapRun(out, t),
  createProgress: () => progressReader(),
});
