import { scalarText } from '../common/scalar-text';

/** ping's text for MCP `content`: one line per reply and the summary; the full data is in `structuredContent`. */
type Result = Readonly<Record<string, unknown>>;

const num = (v: unknown): string => (typeof v === 'number' ? String(v) : '-');

/** The result arrives over the wire: anything that is not a list of objects renders as no replies. */
function records(v: unknown): Result[] {
  return Array.isArray(v) ? v.filter((x): x is Result => typeof x === 'object' && x !== null) : [];
}

export function renderPing(r: Result): string {
  const rtt = typeof r['rtt'] === 'object' && r['rtt'] !== null ? (r['rtt'] as Result) : null;
  const head = `ping ${scalarText(r['target'])} (${scalarText(r['address'])}): ${num(r['transmitted'])} sent, ${num(r['received'])} received, ${num(r['lossPercent'])}% loss`;
  const lines = records(r['replies']).map((x) => `  seq=${num(x['seq'])} ttl=${num(x['ttl'])} time=${num(x['timeMs'])} ms`);
  const tail = rtt ? `rtt min/avg/max = ${num(rtt['minMs'])}/${num(rtt['avgMs'])}/${num(rtt['maxMs'])} ms` : 'no replies';
  return [head, ...lines, tail].join('\n');
}
