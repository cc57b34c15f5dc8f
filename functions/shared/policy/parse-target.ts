import ipaddr from 'ipaddr.js';
import { type Checked, refuse } from './refusal';

export type IpFamily = 4 | 6;

export type ParsedTarget =
  | { kind: 'ip'; family: IpFamily; address: string }
  | { kind: 'cidr'; family: IpFamily; network: string; prefix: number; size: number }
  | { kind: 'hostname'; hostname: string };

const CANONICAL_IPV4 = /^(?:0|[1-9]\d{0,2})(?:\.(?:0|[1-9]\d{0,2})){3}$/;
const LOOKS_NUMERIC = /^[0-9.]+$/;
const IPV6_CHARS = /^[0-9a-f:]+$/i;
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;
const PREFIX = /^(?:0|[1-9]\d{0,2})$/;

/**
 * Parse a target string into one canonical form, or refuse it. Nothing is ever normalised:
 * `010.0.0.1`, `10.1`, `0x0a000001`, `FD00::1`, zone ids and trailing dots are errors with a suggestion.
 */
export function parseTarget(raw: string, options: { allowCidr: boolean }): Checked<ParsedTarget> {
  if (raw.length === 0 || raw.length > 253) {
    return refuse('VALIDATION_ERROR', 'length', 'Target must be 1 to 253 characters.', 'Give one IP address or hostname.');
  }
  if (raw.includes('/')) {
    if (!options.allowCidr) {
      return refuse('VALIDATION_ERROR', 'cidr_not_supported', 'This tool takes one host, not a network range.', 'Give a single IP address or hostname.');
    }
    return parseCidr(raw);
  }
  if (raw.includes(':')) return parseIpv6(raw);
  if (LOOKS_NUMERIC.test(raw)) return parseIpv4(raw);
  return parseHostname(raw);
}

function parseIpv4(raw: string): Checked<ParsedTarget> {
  const parts = raw.split('.');
  const canonical = CANONICAL_IPV4.test(raw) && parts.every((p) => Number(p) <= 255) && ipaddr.IPv4.isValidFourPartDecimal(raw);
  if (!canonical) {
    return refuse(
      'VALIDATION_ERROR',
      'non_canonical_ipv4',
      `"${raw}" is not a canonical IPv4 address.`,
      'Write IPv4 as four decimal numbers 0-255 without leading zeros, e.g. 10.0.0.1 (no octal, hex or short forms).',
    );
  }
  return { ok: true, value: { kind: 'ip', family: 4, address: raw } };
}

function parseIpv6(raw: string): Checked<ParsedTarget> {
  if (raw.includes('%')) {
    return refuse('VALIDATION_ERROR', 'ipv6_zone_id', 'IPv6 zone ids are not accepted.', 'Remove the %interface suffix; link-local targets are not allowed.');
  }
  if (!IPV6_CHARS.test(raw) || !ipaddr.IPv6.isValid(raw)) {
    return refuse(
      'VALIDATION_ERROR',
      'invalid_ipv6',
      `"${raw}" is not a valid IPv6 address in canonical form.`,
      'Write IPv6 in lowercase hex without embedded IPv4, e.g. fd00::1.',
    );
  }
  const canonical = ipaddr.IPv6.parse(raw).toRFC5952String();
  if (canonical !== raw) {
    return refuse('VALIDATION_ERROR', 'non_canonical_ipv6', `"${raw}" is not in canonical IPv6 form.`, `Write it as ${canonical}.`, { canonical });
  }
  return { ok: true, value: { kind: 'ip', family: 6, address: raw } };
}

function parseCidr(raw: string): Checked<ParsedTarget> {
  const slash = raw.indexOf('/');
  const addressPart = raw.slice(0, slash);
  const prefixPart = raw.slice(slash + 1);
  const address = addressPart.includes(':') ? parseIpv6(addressPart) : parseIpv4(addressPart);
  if (!address.ok) return address;
  if (address.value.kind !== 'ip') {
    return refuse('VALIDATION_ERROR', 'invalid_cidr', `"${raw}" is not a valid network range.`, 'Write a range as address/prefix, e.g. 10.0.0.0/24.');
  }
  const family = address.value.family;
  const maxPrefix = family === 4 ? 32 : 128;
  const prefix = Number(prefixPart);
  if (!PREFIX.test(prefixPart) || prefix > maxPrefix) {
    return refuse(
      'VALIDATION_ERROR',
      'invalid_prefix',
      `Prefix "/${prefixPart}" is not valid for IPv${family}.`,
      `Use a prefix from 0 to ${maxPrefix} without leading zeros.`,
    );
  }
  const network = family === 4 ? ipaddr.IPv4.networkAddressFromCIDR(raw).toString() : ipaddr.IPv6.networkAddressFromCIDR(raw).toRFC5952String();
  if (network !== addressPart) {
    return refuse('VALIDATION_ERROR', 'host_bits_set', `"${raw}" has host bits set.`, `Use the network address: ${network}/${prefix}.`, {
      suggested: `${network}/${prefix}`,
    });
  }
  const size = 2 ** (maxPrefix - prefix);
  return { ok: true, value: { kind: 'cidr', family, network, prefix, size } };
}

function parseHostname(raw: string): Checked<ParsedTarget> {
  const bad = (why: string): Checked<ParsedTarget> =>
    refuse(
      'VALIDATION_ERROR',
      'invalid_hostname',
      `"${raw}" is not an accepted hostname: ${why}.`,
      'Use ASCII letters, digits and hyphens in dot-separated labels, ending in an allowed suffix such as host.lab.internal.',
    );
  if (raw.endsWith('.')) return bad('trailing dot');
  const labels = raw.split('.');
  for (const label of labels) {
    if (!LABEL.test(label)) return bad(`label "${label}" is not 1-63 letters, digits or inner hyphens`);
    if (/^xn--/i.test(label)) return bad('punycode (xn--) labels are not accepted');
  }
  const last = labels[labels.length - 1] ?? '';
  if (/^[0-9]+$/.test(last) || /^0x[0-9a-f]*$/i.test(raw)) return bad('it reads as a number');
  return { ok: true, value: { kind: 'hostname', hostname: raw.toLowerCase() } };
}
