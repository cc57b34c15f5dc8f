/** Concise text renderings of results for `content`; the full data is in `structuredContent`. */
import { renderDig } from './render/dig';
import { renderHttpProbe } from './render/http-probe';
import { renderMtr } from './render/mtr';
import { renderNmap } from './render/nmap';
import { renderTlsInspect } from './render/tls-inspect';
import { renderTraceroute } from './render/traceroute';

type Result = Record<string, unknown>;

const num = (v: unknown): string => (typeof v === 'number' ? String(v) : '-');

function renderPing(r: Result): string {
  const rtt = r['rtt'] as { minMs: number; avgMs: number; maxMs: number } | null;
  const head = `ping ${String(r['target'])} (${String(r['address'])}): ${num(r['transmitted'])} sent, ${num(r['received'])} received, ${num(r['lossPercent'])}% loss`;
  const replies = (r['replies'] as Array<Result> | undefined) ?? [];
  const lines = replies.map((x) => `  seq=${num(x['seq'])} ttl=${num(x['ttl'])} time=${num(x['timeMs'])} ms`);
  const tail = rtt ? `rtt min/avg/max = ${rtt.minMs}/${rtt.avgMs}/${rtt.maxMs} ms` : 'no replies';
  return [head, ...lines, tail].join('\n');
}

const RENDERERS: Record<string, (r: Result) => string> = { ping: renderPing, traceroute: renderTraceroute, mtr: renderMtr, nmap: renderNmap, dig: renderDig, tls_inspect: renderTlsInspect, http_probe: renderHttpProbe };

export function renderResult(tool: string, result: Result): string {
  const render = RENDERERS[tool];
  return render ? render(result) : JSON.stringify(result, null, 2);
}
