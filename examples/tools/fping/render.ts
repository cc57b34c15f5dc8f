/** fping's text for MCP `content`. It gets the result as JSON from the wire: anything may be missing. */
type Result = Readonly<Record<string, unknown>>;

const num = (v: unknown): string => (typeof v === 'number' ? String(v) : '-');

export function renderFping(r: Result): string {
  const head = `fping ${String(r['target'])} (${String(r['address'])}): ${num(r['sent'])} sent, ${num(r['received'])} received, ${num(r['lossPercent'])}% loss`;
  const times = Array.isArray(r['rttMs']) ? (r['rttMs'] as unknown[]).map(num).join(' ') : '';
  const stats = r['stats'] as { minMs?: unknown; avgMs?: unknown; maxMs?: unknown } | null | undefined;
  const tail = stats ? `rtt min/avg/max = ${num(stats.minMs)}/${num(stats.avgMs)}/${num(stats.maxMs)} ms` : 'no replies';
  return [head, `  rtt ms: ${times || '-'}`, tail].join('\n');
}
