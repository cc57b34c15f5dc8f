import type { EntityDecoderOptions } from 'fast-xml-parser';

/**
 * The character references in nmap's -oX output, decoded by one object for every parse (fast-xml-parser's
 * `entityDecoder` option). nmap escapes every attribute value and text it writes (xml.cc): `<`, `>`, `&`, `"` and `'`
 * as XML's five named entities, `-` as `&#45;` and unprintable bytes as `&#xNN;`; nothing else ever follows an `&`.
 *
 * Why not `htmlEntities: true`, which decoded these before: fast-xml-parser 5.12 builds a new decoder for each parse()
 * and with that option copies its ~250 HTML entity names into it, twice per job (a host block and <runstats>): the
 * two parses of a one-port scan took 0.36-0.43 ms in a warm loop, 0.07-0.10 ms with this decoder, and the runner's
 * exited -> parsed stage went from 0.42-0.44 to 0.33-0.35 ms (issue 12: the MCP stdio nmap call over ping's). HTML
 * names never reach this parser: nmap writes `&nbsp;` in a banner as `&amp;nbsp;`, which both decoders turn into the
 * literal text `&nbsp;`.
 *
 * The numeric rules are those of the decoder fast-xml-parser uses (@nodable/entities, XML 1.0): NUL, UTF-16
 * surrogates and the C0 controls other than tab, line feed and carriage return are removed, code points beyond
 * U+10FFFF left as they are. DOCTYPE entities are never expanded (the host blocks carry no DOCTYPE). The parser's
 * callers still strip control characters from every value they keep (parse.ts, functions/shared/text/sanitize.ts).
 */
const NAMED: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
const REFERENCE = /&(?:(lt|gt|amp|quot|apos)|#([0-9]{1,7})|#[xX]([0-9a-fA-F]{1,6}));/g;
const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;

function codePoint(cp: number, literal: string): string {
  if (cp > 0x10ffff) return literal;
  if (cp === 0 || (cp >= 0xd800 && cp <= 0xdfff)) return '';
  if (cp < 0x20 && cp !== TAB && cp !== LF && cp !== CR) return '';
  return String.fromCodePoint(cp);
}

/** Decode XML's five named entities and numeric character references in one pass. */
export function decodeXmlReferences(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(REFERENCE, (literal, name: string | undefined, dec: string | undefined, hex: string | undefined) => {
    if (name !== undefined) return NAMED[name] ?? literal;
    return codePoint(dec !== undefined ? Number.parseInt(dec, 10) : Number.parseInt(hex ?? '', 16), literal);
  });
}

/** fast-xml-parser's decoder interface over decodeXmlReferences: no per-document state, so one serves every parse. */
export const xmlEntityDecoder: EntityDecoderOptions = {
  setExternalEntities: () => undefined,
  addInputEntities: () => undefined,
  reset: () => undefined,
  decode: decodeXmlReferences,
  setXmlVersion: () => undefined,
};
