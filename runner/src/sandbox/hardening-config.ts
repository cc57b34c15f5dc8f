/**
 * The operator's say on job hardening (docs/security.md, "Sandbox"): who jobs run as, how big their /tmp is, which
 * of the runner's own files they must not see, and which protections the runner refuses to start without.
 */
import { resolve } from 'node:path';
import { z } from 'zod';
import { ConfigError, envBool, envInt } from '../../../functions/shared/config/env-schema';
import { SANDBOX_PROTECTIONS, type Hardening, type SandboxProtection } from './wrapper';

/** The helper covers at most this many paths (MAX_HIDDEN in native/harden-fs.h). */
const MAX_HIDDEN = 8;

export const SandboxHardeningEnvShape = {
  /** Identity drop, seccomp, the private filesystem view and the exec restriction; false only for debugging and the benchmark's baseline. */
  NETDIAG_SANDBOX_HARDEN: envBool(true),
  /** UID:GID jobs run as; neither may be 0. Default nobody:nogroup (65534:65534 on Debian). */
  NETDIAG_SANDBOX_USER: z
    .string()
    .regex(/^[1-9]\d{0,9}:[1-9]\d{0,9}$/, 'expected UID:GID, both non-zero numbers (e.g. 65534:65534)')
    .default('65534:65534'),
  /** Size of each job's private tmpfs /tmp, MiB. */
  NETDIAG_SANDBOX_TMP_MB: envInt(64, 1, 4096),
  /** Colon-separated absolute paths jobs must not see, besides the runner's own config, CA and key files. */
  NETDIAG_SANDBOX_HIDE: z.string().default(''),
  /** Tools whose jobs may get CAP_NET_RAW when their definition declares it: `*` (default) or comma-separated names. */
  NETDIAG_SANDBOX_NET_RAW: z
    .string()
    .regex(/^(\*|[a-z][a-z0-9_]{0,47}(,[a-z][a-z0-9_]{0,47})*)?$/, 'expected * or comma-separated tool names')
    .default('*'),
  /** Comma-separated protections without which the runner refuses to start, e.g. identity,seccomp,filesystem. */
  NETDIAG_SANDBOX_REQUIRE: z.string().default(''),
};

type HardeningEnv = { [K in keyof typeof SandboxHardeningEnvShape]: z.output<(typeof SandboxHardeningEnvShape)[K]> };

export interface HardeningSettings {
  /** What to probe for; undefined: hardening off. */
  wanted: Hardening | undefined;
  require: SandboxProtection[];
  /** Tools that may get CAP_NET_RAW (when they declare it); '*' for all. */
  netRawTools: '*' | readonly string[];
}

/** Whether `tool` may be granted CAP_NET_RAW here (its definition must still declare it for the call). */
export function rawSocketAllowed(netRawTools: HardeningSettings['netRawTools'], tool: string): boolean {
  return netRawTools === '*' || netRawTools.includes(tool);
}

/** `ownFiles`: the runner's config file, CA, client certificate and key, hidden from every job. */
export function hardeningSettings(e: HardeningEnv, ownFiles: ReadonlyArray<string | undefined>): HardeningSettings {
  const require = e.NETDIAG_SANDBOX_REQUIRE.split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  const unknown = require.find((r) => !(SANDBOX_PROTECTIONS as readonly string[]).includes(r));
  if (unknown !== undefined) throw new ConfigError(`NETDIAG_SANDBOX_REQUIRE: unknown protection "${unknown}" (known: ${SANDBOX_PROTECTIONS.join(', ')})`);
  const extra = e.NETDIAG_SANDBOX_HIDE.split(':').filter((p) => p.length > 0);
  if (extra.some((p) => !p.startsWith('/'))) throw new ConfigError('NETDIAG_SANDBOX_HIDE: every path must be absolute');
  const hide = [...new Set([...ownFiles.filter((p): p is string => p !== undefined && p !== '').map((p) => resolve(p)), ...extra])];
  if (hide.length > MAX_HIDDEN) throw new ConfigError(`NETDIAG_SANDBOX_HIDE: at most ${MAX_HIDDEN} paths can be hidden (got ${hide.length})`);
  const netRawTools = e.NETDIAG_SANDBOX_NET_RAW === '*' ? '*' : e.NETDIAG_SANDBOX_NET_RAW.split(',').filter((t) => t !== '');
  if (!e.NETDIAG_SANDBOX_HARDEN) return { wanted: undefined, require: require as SandboxProtection[], netRawTools };
  const [uid = 65534, gid = 65534] = e.NETDIAG_SANDBOX_USER.split(':').map(Number);
  return {
    wanted: { identity: { uid, gid }, seccomp: true, filesystem: { tmpMb: e.NETDIAG_SANDBOX_TMP_MB, hide }, exec: true },
    require: require as SandboxProtection[],
    netRawTools,
  };
}

/** The required protections this sandbox lacks (the runner refuses to start when any). */
export function missingProtections(required: readonly SandboxProtection[], active: readonly SandboxProtection[]): SandboxProtection[] {
  return required.filter((r) => !active.includes(r));
}
