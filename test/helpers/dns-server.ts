/**
 * A tiny authoritative DNS responder for tests: 127.0.0.1 only, UDP and TCP on one port, answers from a table.
 * Tests point dig at it so no query ever leaves the machine, and read `queries` to prove dig asked it.
 */
import { createSocket, type RemoteInfo, type Socket as UdpSocket } from 'node:dgram';
import { createServer, type Server, type Socket } from 'node:net';
import * as dnsPacket from 'dns-packet';
import type { Answer, CaaAnswer, DecodedPacket, MxAnswer, Packet, SoaAnswer, SrvAnswer, StringAnswer, TxtAnswer } from 'dns-packet';

/** One record the responder serves; names are written without a trailing dot. */
export type LabRecord = StringAnswer | MxAnswer | SoaAnswer | SrvAnswer | TxtAnswer | CaaAnswer;

export interface ReceivedQuery {
  name: string;
  type: string;
  transport: 'udp' | 'tcp';
  from: string;
}

export interface DnsServer {
  port: number;
  /** Every question received, in order. */
  queries: ReceivedQuery[];
  stop(): Promise<void>;
}

const RCODE = { NOERROR: 0, FORMERR: 1, NXDOMAIN: 3, REFUSED: 5 } as const;
const CLASSIC_UDP_LIMIT = 512;

const lower = (name: string): string => name.replace(/\.$/, '').toLowerCase();

/** The SOA of the closest enclosing zone in the table, for negative answers' authority section. */
function zoneSoa(records: readonly LabRecord[], qname: string): LabRecord | undefined {
  return records.find((r) => r.type === 'SOA' && (qname === lower(r.name) || qname.endsWith(`.${lower(r.name)}`)));
}

/** Answer records for qname/qtype, following CNAMEs inside the table (bounded, so a loop cannot hang a test). */
function lookup(records: readonly LabRecord[], qname: string, qtype: string): { answers: LabRecord[]; exists: boolean } {
  const answers: LabRecord[] = [];
  let name = qname;
  for (let hop = 0; hop < 8; hop += 1) {
    const here = records.filter((r) => lower(r.name) === name);
    if (here.length === 0) return { answers, exists: answers.length > 0 };
    const direct = here.filter((r) => r.type === qtype);
    if (direct.length > 0 || qtype === 'CNAME') return { answers: [...answers, ...direct], exists: true };
    const alias = here.find((r): r is StringAnswer => r.type === 'CNAME');
    if (!alias) return { answers, exists: true };
    answers.push(alias);
    name = lower(alias.data);
  }
  return { answers, exists: true };
}

function respond(records: readonly LabRecord[], query: DecodedPacket, udpLimit: number | undefined): Buffer {
  const question = query.questions?.[0];
  const opt = query.additionals?.find((a) => a.type === 'OPT');
  const reply: Packet = {
    type: 'response',
    id: query.id ?? 0,
    // AA, and echo RD as a real server does; RA stays off (we do not recurse).
    flags: dnsPacket.AUTHORITATIVE_ANSWER | ((query.flags ?? 0) & dnsPacket.RECURSION_DESIRED),
    questions: question ? [question] : [],
    additionals: opt ? [{ type: 'OPT', name: '.', udpPayloadSize: 1232, extendedRcode: 0, ednsVersion: 0, flags: 0, flag_do: false, options: [] }] : [],
  };
  const setRcode = (code: number): void => {
    reply.flags = (reply.flags ?? 0) | code;
  };
  if (!question) {
    setRcode(RCODE.FORMERR);
  } else if (question.type === 'AXFR' || question.type === 'IXFR') {
    // Zone transfers are refused, as the lab resolver must refuse them.
    setRcode(RCODE.REFUSED);
  } else {
    const qname = lower(question.name);
    const { answers, exists } = lookup(records, qname, question.type);
    reply.answers = answers as Answer[];
    if (!exists) setRcode(RCODE.NXDOMAIN);
    const soa = answers.length === 0 || !exists ? zoneSoa(records, qname) : undefined;
    if (soa) reply.authorities = [soa as Answer];
  }
  const wire = dnsPacket.encode(reply);
  if (udpLimit === undefined) return wire;
  // Over UDP, a reply larger than the client's buffer goes out empty with TC set, so the client retries over TCP.
  const limit = opt?.type === 'OPT' ? Math.max(CLASSIC_UDP_LIMIT, opt.udpPayloadSize) : Math.min(udpLimit, CLASSIC_UDP_LIMIT);
  if (wire.length <= limit) return wire;
  return dnsPacket.encode({ ...reply, flags: (reply.flags ?? 0) | dnsPacket.TRUNCATED_RESPONSE, answers: [], authorities: [] });
}

function decode(buf: Buffer): DecodedPacket | undefined {
  try {
    return dnsPacket.decode(buf);
  } catch {
    return undefined;
  }
}

/** Start the responder on 127.0.0.1 at a free high port (UDP and TCP share it). */
export async function startDnsServer(records: readonly LabRecord[]): Promise<DnsServer> {
  const queries: ReceivedQuery[] = [];
  const note = (q: DecodedPacket, transport: 'udp' | 'tcp', from: string): void => {
    const first = q.questions?.[0];
    queries.push({ name: first ? lower(first.name) : '', type: first?.type ?? '', transport, from });
  };

  const onUdp = (udp: UdpSocket): void => {
    udp.on('message', (msg: Buffer, peer: RemoteInfo) => {
      const q = decode(msg);
      if (!q || q.type !== 'query') return;
      note(q, 'udp', peer.address);
      udp.send(respond(records, q, CLASSIC_UDP_LIMIT), peer.port, peer.address);
    });
  };

  const sockets = new Set<Socket>();
  const tcp = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    let pending = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      // DNS over TCP: each message is prefixed by its 16-bit length.
      while (pending.length >= 2 && pending.length >= 2 + pending.readUInt16BE(0)) {
        const size = pending.readUInt16BE(0);
        const q = decode(pending.subarray(2, 2 + size));
        pending = pending.subarray(2 + size);
        if (!q || q.type !== 'query') continue;
        note(q, 'tcp', socket.remoteAddress ?? '');
        const wire = respond(records, q, undefined);
        const prefix = Buffer.alloc(2);
        prefix.writeUInt16BE(wire.length);
        socket.write(Buffer.concat([prefix, wire]));
      }
    });
  });

  const { udp, port } = await bindBoth(tcp, onUdp);
  return {
    port,
    queries,
    stop: async () => {
      for (const s of sockets) s.destroy();
      await Promise.all([new Promise<void>((r) => udp.close(() => r())), new Promise<void>((r) => tcp.close(() => r()))]);
    },
  };
}

/** Bind TCP to an ephemeral port, then UDP to the same one; retry with a new port if UDP finds it taken. */
async function bindBoth(tcp: Server, setup: (udp: UdpSocket) => void): Promise<{ udp: UdpSocket; port: number }> {
  for (let attempt = 0; attempt < 20; attempt += 1) {
    await new Promise<void>((resolve, reject) => {
      tcp.once('error', reject);
      tcp.listen(0, '127.0.0.1', () => resolve());
    });
    const address = tcp.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const udp = createSocket('udp4');
    const bound = await new Promise<boolean>((resolve) => {
      udp.once('error', () => resolve(false));
      udp.bind(port, '127.0.0.1', () => resolve(true));
    });
    if (bound) {
      setup(udp);
      return { udp, port };
    }
    udp.close();
    await new Promise<void>((r) => tcp.close(() => r()));
  }
  throw new Error('dns-server: no free port for both UDP and TCP');
}
