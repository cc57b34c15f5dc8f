import { ALWAYS_DENIED, type IpRange, LOOPBACK, overlaps, range } from './ranges';
import { parseTarget } from './parse-target';

export interface Allowlist {
  ranges: readonly IpRange[];
  /** Lower-case suffixes with their leading dot, e.g. ".lab.internal". */
  suffixes: readonly string[];
  allowLoopback: boolean;
}

/** Thrown for a bad MCP_ALLOWED_TARGETS entry; the message names the key. */
export class AllowlistError extends Error {
  override readonly name = 'AllowlistError';
}

/**
 * Build the allowlist from a comma-separated list of CIDRs and `.suffix` entries.
 * An entry that overlaps an always-denied range is a configuration error; loopback entries need allowLoopback.
 */
export function parseAllowlist(spec: string, allowLoopback: boolean): Allowlist {
  const ranges: IpRange[] = allowLoopback ? [...LOOPBACK] : [];
  const suffixes: string[] = [];
  for (const entry of spec
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)) {
    if (entry.startsWith('.')) {
      const host = parseTarget(`x${entry}`, { allowCidr: false });
      if (!host.ok || host.value.kind !== 'hostname') {
        throw new AllowlistError(`MCP_ALLOWED_TARGETS: "${entry}" is not a valid hostname suffix`);
      }
      suffixes.push(entry.toLowerCase());
      continue;
    }
    const parsed = parseTarget(entry.includes('/') ? entry : `${entry}/${entry.includes(':') ? 128 : 32}`, { allowCidr: true });
    if (!parsed.ok || parsed.value.kind !== 'cidr') {
      throw new AllowlistError(`MCP_ALLOWED_TARGETS: "${entry}" is not a canonical CIDR (${parsed.ok ? 'not a range' : parsed.refusal.message})`);
    }
    const r = range(`${parsed.value.network}/${parsed.value.prefix}`);
    if (!allowLoopback && LOOPBACK.some((l) => overlaps(l, r))) {
      throw new AllowlistError(`MCP_ALLOWED_TARGETS: "${entry}" includes loopback; loopback needs MCP_ALLOW_LOOPBACK=true`);
    }
    if (ALWAYS_DENIED.some((d) => overlaps(d, r))) {
      throw new AllowlistError(
        `MCP_ALLOWED_TARGETS: "${entry}" overlaps a range that is never a target (${ALWAYS_DENIED.filter((d) => overlaps(d, r))
          .map((d) => d.label)
          .join(', ')})`,
      );
    }
    ranges.push(r);
  }
  return { ranges, suffixes, allowLoopback };
}
