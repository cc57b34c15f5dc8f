import { createRequire } from 'node:module';
import type { XMLParser } from 'fast-xml-parser';
import { NMAP_LIMITS, type NmapResult } from './definition';
import { sanitizeLine, sanitizeText } from '../../shared/text/sanitize';
import { xmlEntityDecoder } from './xml-entities';

type Host = NmapResult['hosts'][number];
type Port = Host['ports'][number];
type Stats = NonNullable<NmapResult['stats']>;
type XmlNode = Record<string, unknown>;

export interface NmapXml {
  /** nmap got as far as writing <nmaprun>: the output is nmap's XML, however incomplete. */
  started: boolean;
  hosts: Host[];
  /** More complete host blocks than NMAP_LIMITS.hosts were present. */
  hostsTruncated: boolean;
  /** From <runstats>; null when nmap did not finish writing (killed at the deadline, output cap). */
  stats: Stats | null;
}

const LISTS: ReadonlySet<string> = new Set(['address', 'port', 'extraports', 'script', 'osmatch']);

// Attributes grouped under "$" so they never collide with child elements; character references (&#xa; in script
// output) decoded by one decoder for every parse (xml-entities.ts); every value kept as a string and converted here.
// Made on the first nmap result: a runner that never runs nmap never loads the XML parser (issue 12, idle memory).
let xmlParser: XMLParser | undefined;
const parser = (): XMLParser =>
  (xmlParser ??= new (createRequire(import.meta.url)('fast-xml-parser') as { XMLParser: typeof XMLParser }).XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    attributesGroupName: '$',
    entityDecoder: xmlEntityDecoder,
    parseTagValue: false,
    parseAttributeValue: false,
    isArray: (name, _path, _leaf, isAttribute) => !isAttribute && LISTS.has(name),
  }));

const isNode = (v: unknown): v is XmlNode => typeof v === 'object' && v !== null && !Array.isArray(v);
const child = (n: XmlNode | undefined, key: string): XmlNode | undefined => {
  const v = n?.[key];
  return isNode(v) ? v : undefined;
};
const children = (n: XmlNode | undefined, key: string): XmlNode[] => {
  const v = n?.[key];
  return (Array.isArray(v) ? v : [v]).filter(isNode);
};
const attr = (n: XmlNode | undefined, key: string): string | undefined => {
  const v = child(n, '$')?.[key];
  return typeof v === 'string' ? v : undefined;
};

/** Untrusted text on one line, at most `max` characters including the ellipsis that marks a cut. */
const line = (v: string | undefined, max: number): string => sanitizeLine(v ?? '', max).trim();
const optionalLine = (v: string | undefined, max: number): string | null => (v === undefined ? null : line(v, max) || null);
const integer = (v: string | undefined, min: number, max: number): number | null => {
  const n = Number(v);
  return v !== undefined && /^\d+$/.test(v) && n >= min && n <= max ? n : null;
};

function readPort(p: XmlNode): Port | undefined {
  const port = integer(attr(p, 'portid'), 0, 65535);
  if (port === null) return undefined;
  const state = child(p, 'state');
  const svc = child(p, 'service');
  return {
    protocol: line(attr(p, 'protocol'), 8),
    port,
    state: line(attr(state, 'state'), 32),
    reason: line(attr(state, 'reason'), 64),
    service: svc
      ? {
          name: line(attr(svc, 'name'), NMAP_LIMITS.field),
          product: optionalLine(attr(svc, 'product'), NMAP_LIMITS.field),
          version: optionalLine(attr(svc, 'version'), NMAP_LIMITS.field),
          extraInfo: optionalLine(attr(svc, 'extrainfo'), NMAP_LIMITS.field),
          method: optionalLine(attr(svc, 'method'), 16),
          confidence: integer(attr(svc, 'conf'), 0, 10),
        }
      : null,
    // Script output keeps its line breaks (multi-line headers, key lists) but loses every other control character.
    scripts: children(p, 'script')
      .slice(0, NMAP_LIMITS.scriptsPerPort)
      .map((s) => ({ id: line(attr(s, 'id'), 64), output: sanitizeText((attr(s, 'output') ?? '').trim(), NMAP_LIMITS.scriptOutput) })),
  };
}

function readHost(h: XmlNode): Host | undefined {
  const addresses = children(h, 'address').map((a) => ({
    addr: line(attr(a, 'addr'), 64),
    type: line(attr(a, 'addrtype'), 8),
    vendor: optionalLine(attr(a, 'vendor'), NMAP_LIMITS.field),
  }));
  const ip = addresses.find((a) => a.type === 'ipv4' || a.type === 'ipv6');
  if (!ip) return undefined;
  const status = child(h, 'status');
  const ports = child(h, 'ports');
  const portNodes = children(ports, 'port');
  return {
    address: ip.addr,
    addresses: addresses.slice(0, NMAP_LIMITS.addresses),
    state: line(attr(status, 'state'), 16),
    reason: line(attr(status, 'reason'), 64),
    ports: portNodes
      .slice(0, NMAP_LIMITS.portsPerHost)
      .map(readPort)
      .filter((p) => p !== undefined),
    extraPorts: children(ports, 'extraports')
      .slice(0, NMAP_LIMITS.extraPorts)
      .map((e) => ({ state: line(attr(e, 'state'), 32), count: integer(attr(e, 'count'), 0, 65535 * 3) ?? 0 })),
    os: children(child(h, 'os'), 'osmatch')
      .slice(0, NMAP_LIMITS.osMatches)
      .map((m) => ({ name: line(attr(m, 'name'), NMAP_LIMITS.field), accuracy: integer(attr(m, 'accuracy'), 0, 100) ?? 0 })),
    portsTruncated: portNodes.length > NMAP_LIMITS.portsPerHost,
  };
}

function readStats(block: string): Stats | null {
  const run = child(parser().parse(block) as XmlNode, 'runstats');
  const finished = child(run, 'finished');
  const hosts = child(run, 'hosts');
  if (!finished) return null;
  const elapsed = Number(attr(finished, 'elapsed'));
  const errorMessage = attr(finished, 'errormsg');
  return {
    elapsedSec: Number.isFinite(elapsed) && elapsed >= 0 ? elapsed : 0,
    hostsUp: integer(attr(hosts, 'up'), 0, Number.MAX_SAFE_INTEGER) ?? 0,
    hostsDown: integer(attr(hosts, 'down'), 0, Number.MAX_SAFE_INTEGER) ?? 0,
    hostsTotal: integer(attr(hosts, 'total'), 0, Number.MAX_SAFE_INTEGER) ?? 0,
    exit: line(attr(finished, 'exit'), 16),
    errorMessage: errorMessage === undefined ? null : line(errorMessage.trim().split('\n')[0], NMAP_LIMITS.field),
  };
}

const HOST_OPEN = /<host[\s>]/g;
const HOST_CLOSE = '</host>';

/**
 * Complete <host>…</host> blocks in document order. nmap writes a host only once it is done with it, and a run
 * killed at the deadline (or cut at the output cap) leaves an unterminated document: the complete blocks before
 * the cut are still well-formed on their own. "<host" followed by space or ">" excludes <hosts>, <hostnames>,
 * <hosthint>; a literal "</host>" cannot occur inside a block because nmap escapes "<" in attribute values.
 */
export function completeHostBlocks(xml: string, limit: number): { blocks: string[]; more: boolean } {
  const blocks: string[] = [];
  HOST_OPEN.lastIndex = 0;
  for (let open = HOST_OPEN.exec(xml); open; open = HOST_OPEN.exec(xml)) {
    const close = xml.indexOf(HOST_CLOSE, open.index);
    if (close === -1) break;
    if (blocks.length === limit) return { blocks, more: true };
    blocks.push(xml.slice(open.index, close + HOST_CLOSE.length));
    HOST_OPEN.lastIndex = close + HOST_CLOSE.length;
  }
  return { blocks, more: false };
}

/** Read nmap's -oX output, complete or cut short. Throws nothing: malformed blocks are skipped. */
export function readNmapXml(xml: string): NmapXml {
  const started = xml.includes('<nmaprun');
  const { blocks, more } = completeHostBlocks(xml, NMAP_LIMITS.hosts);
  const hosts: Host[] = [];
  for (const block of blocks) {
    try {
      const host = readHost(child(parser().parse(block) as XmlNode, 'host') ?? {});
      if (host) hosts.push(host);
    } catch {
      // A block nmap wrote is well-formed; one that is not was damaged (output cap) and carries nothing reliable.
    }
  }
  const runstats = /<runstats>[\s\S]*?<\/runstats>/.exec(xml)?.[0];
  let stats: Stats | null;
  try {
    stats = runstats ? readStats(runstats) : null;
  } catch {
    stats = null;
  }
  return { started, hosts, hostsTruncated: more, stats };
}
