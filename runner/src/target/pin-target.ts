import { BlockList, isIP } from 'node:net';
import { lookup } from 'node:dns/promises';
import type { ParsedTarget } from '../../../functions/shared/policy/parse-target';
import type { TargetPolicy } from '../../../functions/shared/policy/target-policy';
import type { TargetRefusal } from '../../../functions/shared/policy/refusal';

export type Pinned =
  | { ok: true; target: ParsedTarget; /** What the binary gets: an IP literal or a CIDR, never a name. */ address: string; family: 4 | 6 }
  | { ok: false; refusal: TargetRefusal };

/** Each policy's ranges as Node's BlockList, built once: a runner's policy is fixed at start-up (issue 12: per-job work). */
const blockLists = new WeakMap<TargetPolicy, BlockList>();

function blockListOf(policy: TargetPolicy): BlockList {
  let list = blockLists.get(policy);
  if (!list) {
    list = new BlockList();
    for (const r of policy.allowlist.ranges) list.addSubnet(r.network.toString(), r.prefix, r.family === 4 ? 'ipv4' : 'ipv6');
    blockLists.set(policy, list);
  }
  return list;
}

/** Second, independent check with Node's own parser: defence in depth against a bug in the shared policy. */
function blockListAgrees(policy: TargetPolicy, address: string): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  return blockListOf(policy).check(address, family === 4 ? 'ipv4' : 'ipv6');
}

const refused = (message: string): Pinned => ({
  ok: false,
  refusal: {
    code: 'FORBIDDEN_TARGET',
    reason: 'resolved_not_allowed',
    message,
    recoverySuggestion: 'Every address a name resolves to must be inside the allowed ranges.',
  },
});

/**
 * Re-check the target with the runner's own policy, resolve a hostname once, require every address to pass,
 * and pin the first: the binary then gets an IP literal with its own DNS off, so rebinding cannot move it.
 */
/** Resolves a hostname to every address (dns.lookup with all: true). Injected in tests. */
export type Resolver = (hostname: string, options: { all: true; verbatim: true }) => Promise<Array<{ address: string; family: number }>>;

/**
 * IP literals and CIDR blocks this runner has already pinned, per policy: a literal's verdict depends on nothing but the
 * policy (fixed at start-up, like the BlockList above) and the exact string, so a job for the same target reuses the
 * verdict both checks gave, frozen, instead of parsing and checking it again (issue 12: ~0.05-0.1 ms per job on the call's
 * path). Only allowed literals are kept: refusals and names (resolved for each job) always take the whole way.
 */
const pinnedLiterals = new WeakMap<TargetPolicy, Map<string, Pinned>>();
const MAX_PINNED_LITERALS = 256;

function remember(policy: TargetPolicy, key: string, pinned: Pinned & { ok: true }): Pinned {
  let known = pinnedLiterals.get(policy);
  if (!known) pinnedLiterals.set(policy, (known = new Map()));
  if (known.size >= MAX_PINNED_LITERALS) known.delete(known.keys().next().value as string);
  const frozen = Object.freeze({ ...pinned, target: Object.freeze({ ...pinned.target }) });
  known.set(key, frozen);
  return frozen;
}

export async function pinTarget(policy: TargetPolicy, raw: string, allowCidr: boolean, resolveNames = true, resolve: Resolver = lookup): Promise<Pinned> {
  const key = `${allowCidr ? 'cidr' : 'host'} ${raw}`;
  const known = pinnedLiterals.get(policy)?.get(key);
  if (known) return known;
  const checked = policy.check(raw, { allowCidr });
  if (!checked.ok) return checked;
  const t = checked.value;
  if (t.kind === 'cidr') {
    if (!blockListAgrees(policy, t.network)) return refused(`${raw} failed the second check.`);
    return remember(policy, key, { ok: true, target: t, address: `${t.network}/${t.prefix}`, family: t.family });
  }
  if (t.kind === 'ip') {
    if (!blockListAgrees(policy, t.address)) return refused(`${raw} failed the second check.`);
    return remember(policy, key, { ok: true, target: t, address: t.address, family: t.family });
  }
  // A name to look up (dig): checked against the suffix policy above, never resolved here.
  if (!resolveNames) return { ok: true, target: t, address: t.hostname, family: 4 };
  let addresses: Array<{ address: string; family: number }>;
  try {
    addresses = await resolve(t.hostname, { all: true, verbatim: true });
  } catch (err) {
    return {
      ok: false,
      refusal: {
        code: 'VALIDATION_ERROR',
        reason: 'unresolvable',
        message: `${t.hostname} did not resolve (${(err as NodeJS.ErrnoException).code ?? 'error'}).`,
        recoverySuggestion: 'Check the name against the lab DNS.',
      },
    };
  }
  if (addresses.length === 0) return refused(`${t.hostname} resolved to no address.`);
  for (const a of addresses) {
    const verdict = policy.checkAddress(a.address);
    if (!verdict.ok || !blockListAgrees(policy, a.address)) return refused(`${t.hostname} resolves to ${a.address}, which is not allowed.`);
  }
  const first = addresses[0] as { address: string; family: number };
  return { ok: true, target: t, address: first.address, family: first.family === 6 ? 6 : 4 };
}
