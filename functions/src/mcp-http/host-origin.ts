/**
 * Host and Origin checks for /mcp (DNS rebinding: a web page whose name resolves to 127.0.0.1 must not reach the
 * server). Entries are `host` or `host:port` for Host, `scheme://host` or `scheme://host:port` for Origin; an entry
 * without a port matches any port. Matching is exact and case-insensitive: no wildcards, no normalisation beyond case.
 */
export interface AddressRule {
  scheme?: string | undefined;
  host: string;
  port?: string | undefined;
}

export const DEFAULT_MCP_ALLOWED_HOSTS = 'localhost,127.0.0.1,[::1]';
export const DEFAULT_MCP_ALLOWED_ORIGINS = 'http://localhost,http://127.0.0.1,http://[::1]';

const HOST_PART = String.raw`(\[[0-9a-f:.]+\]|[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?)(?::(\d{1,5}))?`;
const HOST = new RegExp(`^${HOST_PART}$`);
const ORIGIN = new RegExp(`^(https?)://${HOST_PART}$`);

function parse(value: string, withScheme: boolean): AddressRule | undefined {
  const m = (withScheme ? ORIGIN : HOST).exec(value.toLowerCase());
  if (!m) return undefined;
  const [scheme, host, port] = withScheme ? [m[1], m[2], m[3]] : [undefined, m[1], m[2]];
  if (host === undefined || (port !== undefined && Number(port) > 65535)) return undefined;
  return { scheme, host, port };
}

/** Parse a comma-separated list; throws with the offending entry so the caller can name its variable. */
export function parseAddressRules(spec: string, kind: 'host' | 'origin'): AddressRule[] {
  const entries = spec
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  return entries.map((entry) => {
    const rule = parse(entry, kind === 'origin');
    if (!rule) throw new Error(`"${entry}" is not a valid ${kind === 'origin' ? 'origin (scheme://host[:port])' : 'host[:port]'}`);
    return rule;
  });
}

const matches = (value: AddressRule, rules: readonly AddressRule[]): boolean =>
  rules.some((r) => r.host === value.host && r.scheme === value.scheme && (r.port === undefined || r.port === value.port));

/** Whether the Host a request names is one this server answers to. */
export function hostAllowed(host: string, rules: readonly AddressRule[]): boolean {
  const value = parse(host, false);
  return value !== undefined && matches(value, rules);
}

/** Whether an Origin may call; requests without one (programs, not browsers) may. `null` and anything malformed may not. */
export function originAllowed(origin: string | undefined, rules: readonly AddressRule[]): boolean {
  if (origin === undefined) return true;
  const value = parse(origin, true);
  return value !== undefined && matches(value, rules);
}
