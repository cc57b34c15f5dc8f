/** Concise traceroute-like text, one line per hop; the full data is in `structuredContent`. */
type Result = Readonly<Record<string, unknown>>;

const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '-');

function records(v: unknown): Result[] {
  return Array.isArray(v) ? v.filter((x): x is Result => typeof x === 'object' && x !== null) : [];
}

/** Probes as traceroute prints them: the address when it changes, then the time (or * for a timeout). */
function probesText(probes: Result[]): string {
  let shown: unknown = undefined;
  const parts: string[] = [];
  for (const p of probes) {
    if (p['address'] === null || typeof p['rttMs'] !== 'number') {
      parts.push('*');
      continue;
    }
    if (p['address'] !== shown) parts.push(str(p['address']));
    shown = p['address'];
    parts.push(`${p['rttMs']} ms${typeof p['annotation'] === 'string' ? ` ${p['annotation']}` : ''}`);
  }
  return parts.length > 0 ? parts.join('  ') : '(no probes)';
}

export function renderTraceroute(r: Result): string {
  const hops = records(r['hops']);
  const head = `traceroute ${str(r['target'])} (${str(r['address'])}) via ${str(r['protocol'])}, max ${str(r['maxHops'])} hops`;
  const lines = hops.map((h) => `${str(h['ttl']).padStart(2)}  ${probesText(records(h['probes']))}`);
  const reached = r['reachedDestination'] === true;
  // The last hop's TTL is the hop count (the hop list could in principle skip a TTL the parser dropped).
  const ttl = hops[hops.length - 1]?.['ttl'];
  const tail = reached ? `reached the target in ${str(ttl)} hop${ttl === 1 ? '' : 's'}` : 'did not reach the target';
  const cut = r['truncated'] === true ? ['(output cut at the size cap)'] : [];
  return [head, ...(lines.length > 0 ? lines : ['no hops answered']), tail, ...cut].join('\n');
}
