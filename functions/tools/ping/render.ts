/** ping's text for MCP `content`: one line per reply and the summary; the full data is in `structuredContent`. */
type Result = Readonly<Record<string, unknown>>;

const num = (v: unknown): string => (typeof v === 'number' ? String(v) : '-');

export function renderPing(r: Result): string {
  const rtt = r['rtt'] as { minMs: number; avgMs: number; maxMs: number } | null;
  const head = `ping ${String(r['target'])} (${String(r['address'])}): ${num(r['transmitted'])} sent, ${num(r['received'])} received, ${num(r['lossPercent'])}% loss`;
  const replies = (r['replies'] as Result[] | undefined) ?? [];
  const lines = replies.map((x) => `  seq=${num(x['seq'])} ttl=${num(x['ttl'])} time=${num(x['timeMs'])} ms`);
  const tail = rtt ? `rtt min/avg/max = ${rtt.minMs}/${rtt.avgMs}/${rtt.maxMs} ms` : 'no replies';
  return [head, ...lines, tail].join('\n');
}
