/** tcp_connect's text for MCP `content`. It gets the result as JSON from the wire: anything may be missing. */
type Result = Readonly<Record<string, unknown>>;

const num = (v: unknown): string => (typeof v === 'number' ? String(v) : '-');

export function renderTcpConnect(r: Result): string {
  const head = `tcp_connect ${String(r['target'])} (${String(r['address'])}) port ${num(r['port'])}: ${num(r['connected'])} connected, ${num(r['failed'])} failed`;
  const attempts = Array.isArray(r['attempts']) ? (r['attempts'] as Result[]) : [];
  const lines = attempts.map((a) => `  #${num(a['seq'])} ${a['connected'] === true ? `${num(a['timeMs'])} ms` : `failed: ${String(a['error'])}`}`);
  const stats = r['stats'] as { minMs?: unknown; avgMs?: unknown; maxMs?: unknown } | null | undefined;
  const tail = stats ? `connect min/avg/max = ${num(stats.minMs)}/${num(stats.avgMs)}/${num(stats.maxMs)} ms` : 'no connection was established';
  return [head, ...lines, tail].join('\n');
}
