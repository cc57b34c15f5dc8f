import { z } from 'zod';
import { targetParam, timeoutParam, truncatedField } from '../../shared/tool/common-params';
import { defineTool } from '../../shared/tool/definition';
import { renderMtr } from './render';

/** Caps on what comes back: at most 30 hops (the TTL bound), addresses are IP literals (≤ 45 chars). */
export const MTR_LIMITS = { hops: 30, addressChars: 45 } as const;

const params = z.object({
  target: targetParam('IPv4/IPv6 address or lab hostname to probe (one host, no CIDR).'),
  cycles: z.number().int().min(1).max(10).default(5).describe('Probe rounds, one per second (1-10); more rounds give steadier loss and latency figures.'),
  maxHops: z.number().int().min(1).max(30).default(30).describe('Largest TTL to probe (1-30).'),
  waitSec: z.number().int().min(1).max(5).default(2).describe('Seconds to wait for late replies after the last round (1-5).'),
  timeoutSec: timeoutParam(60),
});

const ms = (what: string): z.ZodNullable<z.ZodNumber> =>
  z.number().min(0).nullable().describe(`${what} round-trip time in ms; null when the hop never answered.`);

const hop = z.object({
  hop: z.number().int().min(1).max(MTR_LIMITS.hops).describe('Hop number (TTL).'),
  address: z.string().max(MTR_LIMITS.addressChars).nullable().describe('Address that answered at this hop; null when none did (??? in mtr).'),
  lossPercent: z.number().min(0).max(100),
  sent: z.number().int().min(0),
  lastMs: ms('Latest'),
  avgMs: ms('Average'),
  bestMs: ms('Best'),
  worstMs: ms('Worst'),
  stdevMs: ms('Standard deviation of the'),
});

const result = z.object({
  target: z.string().max(253).describe('The target as given.'),
  address: z.string().max(MTR_LIMITS.addressChars).describe('The address probed (hostnames are resolved once and pinned).'),
  cycles: z.number().int().min(1).max(10),
  hops: z.array(hop).max(MTR_LIMITS.hops).describe('One row per hop, in order.'),
  reachedDestination: z.boolean().describe('True when the last hop is the target address and answered.'),
  truncated: truncatedField,
});

export const mtrTool = defineTool({
  name: 'mtr',
  title: 'Measure loss and latency per hop (mtr)',
  description:
    'Probe every hop on the path to one host for several rounds and report, per hop, packet loss and round-trip times (last, average, best, worst, deviation). ' +
    'Use it to locate where on a path loss or jitter starts; traceroute is quicker for just seeing the path. ' +
    'Loss at an intermediate hop that does not continue to later hops is usually the router rate-limiting its replies, not real loss. ' +
    'Hops that never answer have a null address; that is a result, not an error.',
  params,
  result,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  longRunning: true,
  policy: {
    binary: 'mtr',
    debianPackage: 'mtr-tiny',
    targetField: 'target',
    allowCidr: false,
    // cycles x 1 s interval + waitSec + start-up: at most about 16 s.
    defaultTimeoutSec: 30,
    maxTimeoutSec: 60,
    weight: 'heavy',
    // mtr's mtr-packet opens raw ICMP/UDP sockets (it has file capabilities, which no_new_privs ignores).
    needsRawSocket: () => true,
    // mtr starts mtr-packet for the probing: the only other program a mtr job may execute.
    execs: ['mtr-packet'],
  },
  render: renderMtr,
});

export type MtrParams = z.output<typeof params>;
export type MtrResult = z.output<typeof result>;
export type MtrHop = z.output<typeof hop>;
