/** Concise mtr-like report, one line per hop; the full data is in `structuredContent`. */
type Result = Readonly<Record<string, unknown>>;

const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '-');
/** Times to one decimal like mtr's own report; '-' for a hop that never answered. */
const ms = (v: unknown): string => (typeof v === 'number' ? v.toFixed(1) : '-');

function records(v: unknown): Result[] {
  return Array.isArray(v) ? v.filter((x): x is Result => typeof x === 'object' && x !== null) : [];
}

export function renderMtr(r: Result): string {
  const hops = records(r['hops']);
  const head = `mtr ${str(r['target'])} (${str(r['address'])}), ${str(r['cycles'])} cycles`;
  const columns = '  hop  host                     loss%  sent   last    avg   best  worst  stdev';
  const lines = hops.map((h) => {
    const host = h['address'] === null ? '???' : str(h['address']);
    const loss = typeof h['lossPercent'] === 'number' ? h['lossPercent'].toFixed(1) : '-';
    const times = [h['lastMs'], h['avgMs'], h['bestMs'], h['worstMs'], h['stdevMs']].map((v) => ms(v).padStart(6)).join(' ');
    return `  ${str(h['hop']).padStart(3)}  ${host.padEnd(24)} ${loss.padStart(5)} ${str(h['sent']).padStart(5)} ${times}`;
  });
  const tail = r['reachedDestination'] === true ? 'reached the target' : 'did not reach the target';
  return [head, ...(lines.length > 0 ? [columns, ...lines] : ['no hops answered']), tail].join('\n');
}
