import { describe, expect, it } from 'vitest';
import { NMAP_LIMITS, nmapTool } from './definition';
import type { SpawnResult } from '../../shared/tool/executor';
import { parseNmapRun } from './executor';
import { CIDR_XML, HTTP_SCRIPTS_XML, KILLED_XML, OS_DETECTION_XML, SCRIPT_ERROR_XML, SERVICE_SCAN_XML, TOP_PORTS_XML } from './fixtures';
import { lastTaskProgress, progressReader } from './progress';
import { completeHostBlocks, readNmapXml } from './parse';

const loopback = { target: '127.0.0.1', address: '127.0.0.1', family: 4 as const };
const run = (stdout: string, over: Partial<SpawnResult> = {}): SpawnResult => ({
  stdout,
  stderr: '',
  exitCode: 0,
  signal: null,
  timedOut: false,
  cancelled: false,
  stdoutTruncated: false,
  stderrTruncated: false,
  durationMs: 10,
  ...over,
});

describe('readNmapXml on captured output', () => {
  it('reads ports, services, versions and script output', () => {
    const { hosts, stats } = readNmapXml(SERVICE_SCAN_XML);
    expect(stats).toEqual({ elapsedSec: 7.19, hostsUp: 1, hostsDown: 0, hostsTotal: 1, exit: 'success', errorMessage: null });
    expect(hosts).toHaveLength(1);
    const host = hosts[0];
    expect(host).toMatchObject({ address: '127.0.0.1', state: 'up', reason: 'localhost-response', extraPorts: [], os: [], portsTruncated: false });
    expect(host?.ports.map((p) => [p.port, p.state])).toEqual([
      [33771, 'open'],
      [38813, 'open'],
      [46563, 'open'],
      [47539, 'closed'],
    ]);
    expect(host?.ports[1]).toEqual({
      protocol: 'tcp',
      port: 38813,
      state: 'open',
      reason: 'syn-ack',
      service: { name: 'ssh', product: 'OpenSSH', version: '9.2p1 Debian 2', extraInfo: 'protocol 2.0', method: 'probed', confidence: 10 },
      scripts: [{ id: 'banner', output: 'SSH-2.0-OpenSSH_9.2p1 Debian-2' }],
    });
    expect(host?.ports[3]?.service).toBeNull();
  });

  it('decodes entities, keeps line breaks in script output and drops control characters', () => {
    const port = readNmapXml(HTTP_SCRIPTS_XML).hosts[0]?.ports[0];
    expect(port?.service).toMatchObject({ name: 'http', product: 'SimpleHTTPServer', version: '0.6', extraInfo: 'Python 3.11.7' });
    const headers = port?.scripts.find((s) => s.id === 'http-headers')?.output ?? '';
    expect(headers.split('\n')[0]).toBe('Server: SimpleHTTP/0.6 Python/3.11.7');
    expect(port?.scripts.find((s) => s.id === 'http-title')?.output).toBe('Directory listing for /');
    // nmap already escapes the ESC byte of this banner as text; the fingerprint script's output is multi-line.
    const evil = readNmapXml(SERVICE_SCAN_XML).hosts[0]?.ports[0]?.scripts ?? [];
    expect(evil.map((s) => s.id)).toEqual(['fingerprint-strings', 'banner']);
    for (const s of evil) expect(s.output).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f]/);
  });

  it('counts collapsed ports in extraPorts', () => {
    const host = readNmapXml(TOP_PORTS_XML).hosts[0];
    expect(host).toMatchObject({ ports: [], extraPorts: [{ state: 'closed', count: 100 }] });
  });

  it('lists every host of a CIDR scan', () => {
    const { hosts, stats } = readNmapXml(CIDR_XML);
    expect(hosts.map((h) => h.address)).toEqual(['127.0.0.0', '127.0.0.1', '127.0.0.2', '127.0.0.3']);
    expect(stats).toMatchObject({ hostsUp: 4, hostsTotal: 4 });
  });

  it('keeps the best OS matches, capped', () => {
    const os = readNmapXml(OS_DETECTION_XML).hosts[0]?.os ?? [];
    expect(os).toHaveLength(NMAP_LIMITS.osMatches);
    expect(os[0]).toEqual({ name: 'Linux 5.0 - 5.2', accuracy: 97 });
  });
});

describe('cut-short output', () => {
  it('returns the complete host blocks before the cut', () => {
    const cut = CIDR_XML.indexOf('<address addr="127.0.0.2"');
    const { hosts, stats, started } = readNmapXml(CIDR_XML.slice(0, cut));
    expect(started).toBe(true);
    expect(hosts.map((h) => h.address)).toEqual(['127.0.0.0', '127.0.0.1']);
    expect(stats).toBeNull();
  });

  it('finds no host in a run killed before any host finished', () => {
    expect(readNmapXml(KILLED_XML)).toEqual({ started: true, hosts: [], hostsTruncated: false, stats: null });
  });

  it('stops at the host cap', () => {
    const block = (CIDR_XML.match(/<host [\s\S]*?<\/host>/) ?? [''])[0];
    const { blocks, more } = completeHostBlocks(`<nmaprun>${block.repeat(5)}`, 3);
    expect(blocks).toHaveLength(3);
    expect(more).toBe(true);
  });

  it('never lets hostile text through: bidi overrides, ANSI, long banners, too many scripts', () => {
    const scripts = Array.from({ length: 40 }, (_, i) => `<script id="s${i}" output="x"/>`).join('');
    // &#x1b; is not a legal XML character and the parser drops it; a raw ESC (nmap never writes one) is stripped with its sequence.
    const banner = `\u202Egnp.exe&#x1b;[31m\x1b[2J\x07${'A'.repeat(5000)}`;
    const xml = `<nmaprun><host><status state="up" reason="syn-ack"/><address addr="127.0.0.1" addrtype="ipv4"/><ports><port protocol="tcp" portid="21"><state state="open" reason="syn-ack"/><service name="ftp" product="${banner}"/><script id="banner" output="${banner}"/>${scripts}</port></ports></host>`;
    const port = readNmapXml(xml).hosts[0]?.ports[0];
    expect(port?.service?.product?.length).toBeLessThanOrEqual(NMAP_LIMITS.field);
    expect(port?.service?.product).not.toMatch(/[\u202e\x1b]/);
    expect(port?.scripts).toHaveLength(NMAP_LIMITS.scriptsPerPort);
    expect(port?.scripts[0]?.output.length).toBeLessThanOrEqual(NMAP_LIMITS.scriptOutput);
    expect(port?.scripts[0]?.output.startsWith('gnp.exe[31mAAA')).toBe(true);
    expect(port?.scripts[0]?.output).not.toMatch(/[\u202e\x1b\x07]/);
  });
});

describe('parseNmapRun', () => {
  it('produces results that pass the result schema', () => {
    for (const xml of [SERVICE_SCAN_XML, HTTP_SCRIPTS_XML, TOP_PORTS_XML, CIDR_XML, OS_DETECTION_XML]) {
      const parsed = parseNmapRun(run(xml), loopback);
      expect(parsed.ok).toBe(true);
      if (parsed.ok) expect(nmapTool.result.safeParse(parsed.result).success).toBe(true);
    }
  });

  it('treats a non-zero exit with usable XML as a result', () => {
    expect(parseNmapRun(run(CIDR_XML, { exitCode: 1 }), loopback)).toMatchObject({ ok: true, result: { hosts: { length: 4 } } });
  });

  it('returns what finished when the deadline stopped nmap', () => {
    const parsed = parseNmapRun(run(KILLED_XML, { timedOut: true, exitCode: null, signal: 'SIGTERM' }), loopback);
    expect(parsed).toEqual({ ok: true, result: { target: '127.0.0.1', address: '127.0.0.1', hosts: [], stats: null, truncated: false } });
  });

  it('is an EXECUTION_ERROR with the first stderr line when there is no XML', () => {
    const parsed = parseNmapRun(run('', { exitCode: 1, stderr: 'Failed to open device\x1b[31m lo\nQUITTING!\n' }), loopback);
    expect(parsed).toMatchObject({ ok: false, error: { code: 'EXECUTION_ERROR', message: 'nmap failed: Failed to open device lo' } });
  });

  it("is an EXECUTION_ERROR with nmap's own message when the XML reports an error and no host", () => {
    const parsed = parseNmapRun(run(SCRIPT_ERROR_XML, { exitCode: 1 }), loopback);
    expect(parsed).toMatchObject({ ok: false, error: { code: 'EXECUTION_ERROR', message: 'nmap failed: NSE: failed to initialize the script engine:' } });
  });
});

describe('progress', () => {
  const line = (percent: string, remaining: string) =>
    `<taskprogress task="Connect Scan" time="1795638242" percent="${percent}" remaining="${remaining}" etc="1795638246"/>\n`;

  it('reads percent, task and ETA', () => {
    expect(lastTaskProgress(line('42.00', '70'))).toEqual({ progress: 42, total: 100, message: 'Connect Scan 42% ETA 00:01:10' });
    expect(lastTaskProgress('<host>')).toBeUndefined();
  });

  it('joins lines split across chunks and keeps one buffer per reader', () => {
    const a = progressReader();
    const b = progressReader();
    const whole = line('20.00', '4');
    expect(a(whole.slice(0, 50))).toBeUndefined();
    expect(b(line('90.00', '1'))).toMatchObject({ progress: 90 });
    expect(a(whole.slice(50))).toMatchObject({ progress: 20, message: 'Connect Scan 20% ETA 00:00:04' });
    expect(a(`${line('40.00', '3')}${line('70.00', '2')}<host>`)).toMatchObject({ progress: 70 });
  });

  it('reads the progress lines of a captured run', () => {
    expect(lastTaskProgress(SERVICE_SCAN_XML)).toEqual({ progress: 99.26, total: 100, message: 'NSE 99% ETA 00:00:01' });
  });
});
