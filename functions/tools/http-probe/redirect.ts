import { HTTP_CAPS, type HttpRedirectInfo, pathParam } from './definition';
import { sanitizeLine } from '../../shared/text/sanitize';
import type { NativeContext } from '../../shared/tool/executor';
import { defaultPort, type Hop, hopUrl } from './request';

export const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);

type Resolved = { ok: true; url: URL } | { ok: false; reason: string };

/** Authority host as written in an absolute Location (scheme:// or protocol-relative //), port stripped. */
function writtenHost(location: string): string | undefined {
  const m = /^(?:https?:)?\/\/([^/?#]*)/i.exec(location);
  if (!m) return undefined;
  const authority = m[1] ?? '';
  const host = authority.startsWith('[') ? authority.slice(0, authority.indexOf(']') + 1) : authority.split(':')[0];
  return host?.toLowerCase();
}

/**
 * Resolve a Location against the current URL, the way a strict client would, refusing what is ambiguous.
 * WHATWG parsing "fixes" many inputs: '\' becomes '/', "https:evil" gains an authority, "0x7f.1" and
 * "%31%32%37.0.0.1" become 127.0.0.1. The policy accepts only canonical targets, so a written host must
 * read exactly as the parser reads it, and a Location with no written host must keep the current one;
 * anything else is refused, never normalized.
 */
export function resolveLocation(location: string, current: URL): Resolved {
  if (location.length > HTTP_CAPS.url) return { ok: false, reason: 'Location is too long' };
  if (!/^[\x21-\x7e]+$/.test(location) || location.includes('\\')) {
    return { ok: false, reason: 'Location contains spaces, control, non-ASCII or backslash characters' };
  }
  let url: URL;
  try {
    url = new URL(location, current);
  } catch {
    return { ok: false, reason: 'Location is not a valid URL' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { ok: false, reason: `scheme ${sanitizeLine(url.protocol, 32)} is not followed` };
  if (url.username || url.password) return { ok: false, reason: 'Location carries credentials' };
  const written = writtenHost(location);
  if (written !== undefined ? written !== url.hostname : url.hostname !== current.hostname) {
    return { ok: false, reason: 'Location names a host in a non-canonical or ambiguous form' };
  }
  if (!pathParam.safeParse(url.pathname + url.search).success) return { ok: false, reason: 'Location path has characters the probe does not send' };
  return { ok: true, url };
}

export type RedirectDecision = { info: HttpRedirectInfo; next?: Hop | undefined };

/**
 * Decide one redirect: always report it; follow only within settings.httpMaxRedirects and only when the
 * runner's own policy accepts the new host (ctx.pin resolves a name once and checks every address).
 */
export async function decideRedirect(from: Hop, status: number, location: string, followedSoFar: number, ctx: NativeContext): Promise<RedirectDecision> {
  const fromUrl = hopUrl(from);
  const base: Omit<HttpRedirectInfo, 'nextUrl' | 'followed' | 'reason'> = { fromUrl, status, location: sanitizeLine(location, HTTP_CAPS.url) };
  const resolved = resolveLocation(location, new URL(fromUrl));
  if (!resolved.ok) return { info: { ...base, nextUrl: null, followed: false, reason: resolved.reason } };
  const nextUrl = sanitizeLine(resolved.url.href, HTTP_CAPS.url);
  const notFollowed = (reason: string): RedirectDecision => ({ info: { ...base, nextUrl, followed: false, reason } });

  const max = ctx.settings.httpMaxRedirects;
  if (max === 0) return notFollowed('following redirects is off on this runner (NETDIAG_HTTP_MAX_REDIRECTS=0)');
  if (followedSoFar >= max) return notFollowed(`redirect limit reached (${max})`);

  const host = resolved.url.hostname.replace(/^\[(.*)\]$/, '$1');
  const pinned = await ctx.pin(host);
  if (!pinned.ok) return notFollowed(`target refused by policy: ${sanitizeLine(pinned.message, 400)}`);

  const scheme = resolved.url.protocol === 'https:' ? 'https' : 'http';
  const next: Hop = {
    scheme,
    address: pinned.target.address,
    hostname: pinned.target.hostname,
    port: resolved.url.port ? Number(resolved.url.port) : defaultPort(scheme),
    path: resolved.url.pathname + resolved.url.search,
  };
  return { info: { ...base, nextUrl, followed: true, reason: null }, next };
}
