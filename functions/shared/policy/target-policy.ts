import ipaddr from 'ipaddr.js';
import type { Allowlist } from './allowlist';
import { type ParsedTarget, parseTarget } from './parse-target';
import { ALWAYS_DENIED, type IpRange, LOOPBACK, TUNNELLED_IPV6, containsAddress, containsRange, overlaps, range } from './ranges';
import { type Checked, refuse } from './refusal';

export interface TargetPolicyOptions {
  allowlist: Allowlist;
  /** Largest CIDR block accepted, in addresses (default 1024). */
  maxHosts: number;
}

const describe = (a: Allowlist): string => [...a.ranges.map((r) => r.label), ...a.suffixes.map((s) => `*${s}`)].join(', ') || '(nothing)';

/** The pure target policy: the same code runs in the API (before a job exists) and again in the runner. */
export class TargetPolicy {
  readonly allowlist: Allowlist;
  readonly maxHosts: number;

  constructor(options: TargetPolicyOptions) {
    this.allowlist = options.allowlist;
    this.maxHosts = options.maxHosts;
  }

  /** A human description of what is allowed, for tool descriptions and errors. */
  describe(): string {
    return describe(this.allowlist);
  }

  check(raw: string, options: { allowCidr: boolean }): Checked<ParsedTarget> {
    const parsed = parseTarget(raw, options);
    if (!parsed.ok) return parsed;
    const t = parsed.value;
    if (t.kind === 'hostname') return this.checkHostname(t);
    if (t.kind === 'ip') {
      const verdict = this.checkAddress(t.address);
      return verdict.ok ? parsed : verdict;
    }
    return this.checkCidr(t);
  }

  /** Check one address literal, e.g. a resolved address in the runner. */
  checkAddress(address: string): Checked<string> {
    const ip = ipaddr.parse(address);
    const denied = this.deniedBy(ip);
    if (denied) return denied;
    if (this.allowlist.ranges.some((r) => containsAddress(r, ip))) return { ok: true, value: address };
    return this.outside(address);
  }

  private checkHostname(t: Extract<ParsedTarget, { kind: 'hostname' }>): Checked<ParsedTarget> {
    const suffix = this.allowlist.suffixes.find((s) => t.hostname.endsWith(s) && t.hostname.length > s.length);
    if (suffix) return { ok: true, value: t };
    return this.outside(t.hostname);
  }

  private checkCidr(t: Extract<ParsedTarget, { kind: 'cidr' }>): Checked<ParsedTarget> {
    const block = range(`${t.network}/${t.prefix}`);
    const hit = [...ALWAYS_DENIED, ...(this.allowlist.allowLoopback ? [] : LOOPBACK), ...TUNNELLED_IPV6].find((d) => overlaps(d, block));
    if (hit)
      return refuse(
        'FORBIDDEN_TARGET',
        'denied_range',
        `${block.label} overlaps ${hit.label}, which is never a target.`,
        `Choose a block inside: ${this.describe()}.`,
      );
    if (!this.allowlist.ranges.some((r: IpRange) => containsRange(r, block))) return this.outside(block.label);
    if (t.size > this.maxHosts) {
      const bits = t.family === 4 ? 32 : 128;
      const suggestedPrefix = bits - Math.floor(Math.log2(this.maxHosts));
      return refuse(
        'VALIDATION_ERROR',
        'range_too_large',
        `Network range too large: ${t.size} addresses (max: ${this.maxHosts}).`,
        `Use /${suggestedPrefix} or smaller prefix (max ${this.maxHosts} hosts).`,
        { suggestedPrefix, example: `${t.network}/${suggestedPrefix}` },
      );
    }
    return { ok: true, value: t };
  }

  private deniedBy(ip: ipaddr.IPv4 | ipaddr.IPv6): { ok: false; refusal: ReturnType<typeof refuse>['refusal'] } | undefined {
    // Loopback first: ::1 also lies in the deprecated IPv4-compatible block ::/96.
    if (LOOPBACK.some((r) => containsAddress(r, ip))) {
      if (this.allowlist.allowLoopback) return undefined;
      return refuse(
        'FORBIDDEN_TARGET',
        'loopback_disabled',
        `${ip.toString()} is loopback, which this server does not allow.`,
        'Loopback needs MCP_ALLOW_LOOPBACK=true on the API and the runner (development only).',
      );
    }
    if (TUNNELLED_IPV6.some((r) => containsAddress(r, ip))) {
      return refuse(
        'FORBIDDEN_TARGET',
        'tunnelled_ipv6',
        `${ip.toString()} embeds an IPv4 address (mapped, NAT64, 6to4 or Teredo).`,
        'Give the IPv4 address itself if it is inside the allowed ranges.',
      );
    }
    const denied = ALWAYS_DENIED.find((r) => containsAddress(r, ip));
    if (denied) {
      return refuse(
        'FORBIDDEN_TARGET',
        'denied_range',
        `${ip.toString()} is in ${denied.label}, which is never a target.`,
        `Choose a target inside: ${this.describe()}.`,
      );
    }
    return undefined;
  }

  private outside(what: string): { ok: false; refusal: ReturnType<typeof refuse>['refusal'] } {
    return refuse('FORBIDDEN_TARGET', 'not_allowed', `${what} is outside the allowed targets.`, `Choose a target inside: ${this.describe()}.`, {
      allowed: describe(this.allowlist),
    });
  }
}
