/** Concise dig-like text for a dig result; the full data is in `structuredContent`. */
type Result = Readonly<Record<string, unknown>>;

const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '-');

function records(v: unknown): Result[] {
  return Array.isArray(v) ? v.filter((x): x is Result => typeof x === 'object' && x !== null) : [];
}

/** One record per line, as dig prints it: name ttl class type data. */
const recordLine = (r: Result): string => `  ${str(r['name'])}\t${str(r['ttl'])}\t${str(r['class'])}\t${str(r['type'])}\t${str(r['data'])}`;

export function renderDig(r: Result): string {
  const question = r['question'] as { name?: unknown; type?: unknown } | null | undefined;
  const asked = question ? `${str(question.name)} ${str(question.type)}` : str(r['name']);
  const flags = Array.isArray(r['flags']) ? r['flags'].map(str).join(' ') : '';
  const server = r['server'] as { address?: unknown; port?: unknown; protocol?: unknown } | null | undefined;
  const time = typeof r['queryTimeMs'] === 'number' ? `${r['queryTimeMs']} ms` : '- ms';
  const via = server ? ` from ${str(server.address)}#${str(server.port)} (${str(server.protocol)})` : '';
  const lines = [`dig ${asked}: status ${str(r['status'])}, flags: ${flags}; ${time}${via}`];

  const answer = records(r['answer']);
  const authority = records(r['authority']);
  if (answer.length > 0) lines.push('answer:', ...answer.map(recordLine));
  else lines.push(r['status'] === 'NXDOMAIN' ? 'no answer: the name does not exist' : 'no answer records');
  if (authority.length > 0) lines.push('authority:', ...authority.map(recordLine));

  const answerCount = typeof r['answerCount'] === 'number' ? r['answerCount'] : answer.length;
  if (r['truncated'] === true || answerCount > answer.length) lines.push(`(cut: showing ${answer.length} of ${answerCount} answer records)`);
  return lines.join('\n');
}
