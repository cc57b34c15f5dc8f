/**
 * Parse dig's default text output (BIND 9.18, run with +nocmd +noadditional +nomultiline +nottlunits).
 * Everything after the header comes from the DNS server and is untrusted: each field is sanitized and capped,
 * and the record lists are capped to the counts the result schema declares.
 */
import { DIG_LIMITS, type DigRecord, type DigResult } from './definition';
import { sanitizeLine } from '../../shared/text/sanitize';

export type DigParsed = Omit<DigResult, 'name' | 'reverse' | 'truncated'> & { recordsDropped: boolean };

const HEADER = /^;; ->>HEADER<<- opcode: [A-Z0-9]+, status: ([A-Za-z0-9]+), id: \d+$/;
const FLAGS = /^;; flags:([a-z ]*); QUERY: \d+, ANSWER: (\d+), AUTHORITY: (\d+), ADDITIONAL: \d+$/;
const QUESTION = /^;(\S+)\s+[A-Z0-9]+\s+([A-Z0-9-]+)$/;
const RECORD = /^(\S+)\s+(\d+)\s+([A-Z0-9]+)\s+([A-Z0-9-]+)(?:\s+(.*))?$/;
const QUERY_TIME = /^;; Query time: (\d+) msec$/;
const SERVER = /^;; SERVER: ([0-9A-Fa-f.:]+)#(\d+)\([^)]*\) \(([A-Z]+)\)$/;
const SECTION = /^;; (QUESTION|ANSWER|AUTHORITY|ADDITIONAL) SECTION:$/;

/** Types whose data holds quoted character-strings that dig escapes as \DDD (TXT, CAA). */
const QUOTED_TYPES = new Set(['TXT', 'CAA', 'SPF', 'HINFO']);

const cap = (text: string, max: number): string => sanitizeLine(text, max);

/**
 * dig prints non-printable bytes inside quoted strings as \DDD. Escapes stay harmless text, but then a TXT record
 * reads as "\027[31m..." and the sanitizer cannot see the ANSI sequence it hides. So decode each quoted string to
 * its bytes, read them as UTF-8, sanitize that (ANSI, control and bidi characters go), and quote it again.
 */
export function decodeQuotedStrings(rdata: string): string {
  let out = '';
  let i = 0;
  while (i < rdata.length) {
    const ch = rdata.charAt(i);
    if (ch !== '"') {
      out += ch;
      i += 1;
      continue;
    }
    const bytes: number[] = [];
    i += 1;
    while (i < rdata.length && rdata.charAt(i) !== '"') {
      if (rdata.charAt(i) === '\\') {
        const digits = /^\d{3}/.exec(rdata.slice(i + 1, i + 4));
        if (digits) {
          bytes.push(Number(digits[0]) & 0xff);
          i += 4;
          continue;
        }
        i += 1;
      }
      bytes.push(...Buffer.from(rdata.charAt(i), 'utf8'));
      i += 1;
    }
    i += 1; // closing quote
    const text = sanitizeLine(new TextDecoder('utf-8').decode(Uint8Array.from(bytes)), DIG_LIMITS.dataChars);
    out += `"${text.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
  }
  return out;
}

function parseRecord(line: string): DigRecord | undefined {
  const m = RECORD.exec(line);
  if (!m) return undefined;
  const type = m[4] ?? '';
  const raw = m[5] ?? '';
  return {
    name: cap(m[1] ?? '', DIG_LIMITS.nameChars),
    ttl: Number(m[2]),
    class: (m[3] ?? '').slice(0, 16),
    type: type.slice(0, 16),
    data: cap(QUOTED_TYPES.has(type) ? decodeQuotedStrings(raw) : raw, DIG_LIMITS.dataChars),
  };
}

/** Read one dig reply; undefined when there is none (no header: dig got no answer at all). */
export function parseDigOutput(stdout: string): DigParsed | undefined {
  let parsed: DigParsed | undefined;
  let section: 'QUESTION' | 'ANSWER' | 'AUTHORITY' | 'ADDITIONAL' | undefined;
  for (const line of stdout.split('\n')) {
    const header = HEADER.exec(line);
    if (header) {
      // One query, one reply: a second header would be a different message, so stop at it.
      if (parsed) break;
      parsed = {
        status: (header[1] ?? '').slice(0, 16),
        flags: [],
        answerCount: 0,
        authorityCount: 0,
        question: null,
        answer: [],
        authority: [],
        queryTimeMs: null,
        server: null,
        recordsDropped: false,
      };
      continue;
    }
    if (!parsed) continue;
    const sectionStart = SECTION.exec(line);
    if (sectionStart) {
      section = sectionStart[1] as typeof section;
      continue;
    }
    if (line.trim() === '') {
      section = undefined;
      continue;
    }
    const flags = FLAGS.exec(line);
    if (flags) {
      parsed.flags = (flags[1] ?? '')
        .trim()
        .split(/\s+/)
        .filter((f) => f.length > 0 && f.length <= 4)
        .slice(0, 10);
      parsed.answerCount = Number(flags[2]);
      parsed.authorityCount = Number(flags[3]);
      continue;
    }
    const time = QUERY_TIME.exec(line);
    if (time) parsed.queryTimeMs = Number(time[1]);
    const server = SERVER.exec(line);
    if (server) parsed.server = { address: server[1] ?? '', port: Number(server[2]), protocol: server[3] ?? '' };
    if (section === 'QUESTION' && !parsed.question) {
      const q = QUESTION.exec(line);
      if (q) parsed.question = { name: cap(q[1] ?? '', DIG_LIMITS.nameChars), type: (q[2] ?? '').slice(0, 16) };
    } else if (section === 'ANSWER' || section === 'AUTHORITY') {
      const list = section === 'ANSWER' ? parsed.answer : parsed.authority;
      const max = section === 'ANSWER' ? DIG_LIMITS.answerRecords : DIG_LIMITS.authorityRecords;
      const rec = line.startsWith(';') ? undefined : parseRecord(line);
      if (rec && list.length < max) list.push(rec);
      else if (rec) parsed.recordsDropped = true;
    }
  }
  return parsed;
}

/** Why dig got no reply, from its ";; communications error to ADDR#PORT: REASON" or ";; connection timed out" lines. */
export function noReplyReason(output: string): { server: string | null; reason: string } | undefined {
  const comm = /communications error to ([0-9A-Fa-f.:]+#\d+): ([a-z ]{1,60})/.exec(output);
  if (comm) return { server: comm[1] ?? null, reason: comm[2] ?? '' };
  const other = /;; (connection timed out|no servers could be reached)/.exec(output);
  return other ? { server: null, reason: other[1] ?? '' } : undefined;
}
