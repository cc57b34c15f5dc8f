import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { CIDR_XML, HTTP_SCRIPTS_XML, KILLED_XML, OS_DETECTION_XML, SCRIPT_ERROR_XML, SERVICE_SCAN_XML, TOP_PORTS_XML } from './fixtures';
import { decodeXmlReferences, xmlEntityDecoder } from './xml-entities';

const options = { ignoreAttributes: false, attributeNamePrefix: '', attributesGroupName: '$', parseTagValue: false, parseAttributeValue: false };
/** The setting parse.ts used before (a decoder with every HTML name, built anew for each parse). */
const withHtmlEntities = new XMLParser({ ...options, htmlEntities: true });
const withXmlDecoder = new XMLParser({ ...options, entityDecoder: xmlEntityDecoder });

/** Every reference nmap's xml.cc writes: the five named ones, `&#45;` and `&#xNN;` for unprintable bytes. */
const NMAP_REFERENCES = [
  '&lt;',
  '&gt;',
  '&amp;',
  '&quot;',
  '&apos;',
  '&#45;',
  ...Array.from({ length: 0x20 }, (_, b) => `&#x${b.toString(16)};`),
  '&#x7f;',
  '&#x80;',
  '&#x9b;',
  '&#xff;',
];

describe('xmlEntityDecoder', () => {
  it('decodes what nmap writes exactly as htmlEntities: true did', () => {
    const text = NMAP_REFERENCES.map((r, i) => `${String(i)}${r}`).join(' ');
    const xml = `<host><script id="s" output="${text}">${text}</script></host>`;
    expect(withXmlDecoder.parse(xml)).toEqual(withHtmlEntities.parse(xml));
    for (const ref of NMAP_REFERENCES)
      expect(decodeXmlReferences(`a${ref}b`)).toBe((withHtmlEntities.parse(`<x v="a${ref}b"/>`) as { x: { $: { v: string } } }).x.$.v);
  });

  it('parses every captured nmap output to the same tree as htmlEntities: true did', () => {
    for (const xml of [SERVICE_SCAN_XML, HTTP_SCRIPTS_XML, TOP_PORTS_XML, CIDR_XML, OS_DETECTION_XML, SCRIPT_ERROR_XML, KILLED_XML]) {
      for (const block of xml.match(/<host[\s>][\s\S]*?<\/host>|<runstats>[\s\S]*?<\/runstats>/g) ?? []) {
        expect(withXmlDecoder.parse(block)).toEqual(withHtmlEntities.parse(block));
      }
    }
  });

  it('removes NUL, surrogates and C0 controls but keeps tab, line feed, carriage return and every other code point', () => {
    expect(decodeXmlReferences('[&#0;&#x1b;&#27;&#xd800;&#xDFFF;]')).toBe('[]');
    expect(decodeXmlReferences('[&#9;&#xa;&#13;&#x1F600;&#233;]')).toBe('[\t\n\r\u{1F600}é]');
    expect(decodeXmlReferences('&#x110000; &#xzz; &#; &#x;')).toBe('&#x110000; &#xzz; &#; &#x;');
  });

  it('turns an escaped HTML name into its literal text and expands no DOCTYPE entity', () => {
    expect(decodeXmlReferences('&amp;nbsp;&amp;amp;')).toBe('&nbsp;&amp;');
    expect(decodeXmlReferences('&nbsp;&copy;')).toBe('&nbsp;&copy;');
    const xml = '<!DOCTYPE x [<!ENTITY e "boom">]><x v="&e;"/>';
    expect((withXmlDecoder.parse(xml) as { x: { $: { v: string } } }).x.$.v).toBe('&e;');
  });
});
