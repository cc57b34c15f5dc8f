import ipaddr from 'ipaddr.js';

export interface IpRange {
  /** The range as written, for messages, e.g. "10.0.0.0/8". */
  label: string;
  family: 4 | 6;
  network: ipaddr.IPv4 | ipaddr.IPv6;
  prefix: number;
}

export function range(cidr: string): IpRange {
  const [network, prefix] = ipaddr.parseCIDR(cidr);
  return { label: cidr, family: network.kind() === 'ipv4' ? 4 : 6, network, prefix };
}

/** Never targets, whatever MCP_ALLOWED_TARGETS says. */
export const ALWAYS_DENIED: readonly IpRange[] = [
  '0.0.0.0/8',
  '169.254.0.0/16',
  '100.64.0.0/10',
  '224.0.0.0/4',
  '240.0.0.0/4',
  '::/128',
  'fe80::/10',
  'ff00::/8',
].map(range);

/** Denied unless MCP_ALLOW_LOOPBACK is on: the loopback ranges need their own opt-in. */
export const LOOPBACK: readonly IpRange[] = ['127.0.0.0/8', '::1/128'].map(range);

/** IPv6 forms that embed or tunnel an IPv4 address: refused, never unwrapped. */
export const TUNNELLED_IPV6: readonly IpRange[] = ['::ffff:0:0/96', '::ffff:0:0:0/96', '::/96', '64:ff9b::/96', '64:ff9b:1::/48', '2002::/16', '2001::/32'].map(
  range,
);

export const DEFAULT_ALLOWED_TARGETS = '10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,fd00::/8,.lab.internal';

export function containsAddress(r: IpRange, address: ipaddr.IPv4 | ipaddr.IPv6): boolean {
  return address.kind() === r.network.kind() && address.match(r.network, r.prefix);
}

/** Whether block `inner` lies wholly inside `outer`. */
export function containsRange(outer: IpRange, inner: IpRange): boolean {
  return outer.prefix <= inner.prefix && containsAddress(outer, inner.network);
}

export function overlaps(a: IpRange, b: IpRange): boolean {
  return containsRange(a, b) || containsRange(b, a);
}
