/**
 * nmap results as a short text table for MCP `content`; the full data stays in `structuredContent`.
 * Values were sanitized by the runner; this only lays them out (and never trusts their shape).
 */
type Row = Record<string, unknown>;

const MAX_PORT_ROWS = 200;
const MAX_HOSTS = 64;

const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
const rows = (v: unknown): Row[] => (Array.isArray(v) ? v.filter((x): x is Row => typeof x === 'object' && x !== null) : []);
const record = (v: unknown): Row | undefined => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Row) : undefined);

function serviceText(service: Row | undefined): [string, string] {
  if (!service) return ['', ''];
  const version = [service['product'], service['version'], service['extraInfo'] ? `(${str(service['extraInfo'])})` : undefined]
    .map(str)
    .filter((s) => s !== '');
  return [str(service['name']), version.join(' ')];
}

function table(lines: string[][]): string[] {
  const widths = lines.reduce<number[]>((w, cells) => cells.map((c, i) => Math.max(w[i] ?? 0, c.length)), []);
  return lines.map((cells) => `  ${cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ')}`.trimEnd());
}

function renderHost(host: Row): string[] {
  const ports = rows(host['ports']);
  const head = `${str(host['address'])} is ${str(host['state']) || 'unknown'}`;
  const extra = rows(host['extraPorts']).map((e) => `${str(e['count'])} ${str(e['state'])}`);
  const os = rows(host['os'])[0];
  const out = [extra.length > 0 ? `${head} (not shown: ${extra.join(', ')})` : head];
  if (os) out.push(`  os guess: ${str(os['name'])} (${str(os['accuracy'])}%)`);
  if (ports.length === 0) return out;
  const body = ports.slice(0, MAX_PORT_ROWS).map((p) => [`${str(p['port'])}/${str(p['protocol'])}`, str(p['state']), ...serviceText(record(p['service']))]);
  out.push(...table([['PORT', 'STATE', 'SERVICE', 'VERSION'], ...body]));
  for (const p of ports.slice(0, MAX_PORT_ROWS)) {
    for (const s of rows(p['scripts'])) {
      const first =
        str(s['output'])
          .split('\n')
          .find((l) => l.trim() !== '') ?? '';
      out.push(`  ${str(p['port'])}/${str(p['protocol'])} ${str(s['id'])}: ${JSON.stringify(first.trim())}`);
    }
  }
  if (ports.length > MAX_PORT_ROWS || host['portsTruncated'] === true) out.push(`  … more ports in structuredContent`);
  return out;
}

export function renderNmap(r: Readonly<Record<string, unknown>>): string {
  const hosts = rows(r['hosts']);
  const stats = record(r['stats']);
  const head = `nmap ${str(r['target'])} (${str(r['address'])})`;
  const summary = stats
    ? `${str(stats['hostsUp'])} of ${str(stats['hostsTotal'])} hosts up, ${str(stats['elapsedSec'])} s`
    : `${hosts.length} hosts finished (scan stopped early)`;
  const body = hosts.slice(0, MAX_HOSTS).flatMap(renderHost);
  const more = hosts.length > MAX_HOSTS ? [`… ${hosts.length - MAX_HOSTS} more hosts in structuredContent`] : [];
  const cut = r['truncated'] === true ? ['(output reached the size cap and was cut)'] : [];
  return [`${head}: ${summary}`, ...body, ...more, ...cut].join('\n');
}
