/** Reading /metrics in tests: the text parsed with parse-prometheus-text-format, and a few lookups over it. */
import parsePrometheusTextFormat, { type PromFamily } from 'parse-prometheus-text-format';

export interface Scrape {
  text: string;
  families: PromFamily[];
}

export async function scrape(url: string, token: string): Promise<Scrape> {
  const res = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${token}` } });
  if (res.status !== 200) throw new Error(`GET /metrics: HTTP ${res.status}: ${await res.text()}`);
  const text = await res.text();
  return { text, families: parsePrometheusTextFormat(text) };
}

const matches = (have: Record<string, string> | undefined, want: Record<string, string>): boolean => Object.entries(want).every(([k, v]) => have?.[k] === v);

/** A counter's or gauge's value for the series with these labels; 0 when the series does not exist yet. */
export function value(s: Scrape, name: string, labels: Record<string, string> = {}): number {
  const family = s.families.find((f) => f.name === name);
  const sample = family?.metrics.find((m) => matches(m.labels, labels) && m.value !== undefined);
  return sample?.value === undefined ? 0 : Number(sample.value);
}

/**
 * A labelled histogram's _count or _sum, read from the text itself: the parser (a prom2json port) folds the
 * series of a labelled histogram into one, so it cannot tell them apart.
 */
export function histogramValue(s: Scrape, name: string, suffix: '_count' | '_sum', labels: Record<string, string>): number {
  for (const line of s.text.split('\n')) {
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)\{(.*)\} (\S+)$/.exec(line);
    if (!m || m[1] !== `${name}${suffix}`) continue;
    const have = Object.fromEntries([...(m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)].map((x) => [x[1] ?? '', x[2] ?? '']));
    if (matches(have, labels)) return Number(m[3]);
  }
  return 0;
}
