import { z } from 'zod';
import { targetParam, timeoutParam, truncatedField } from '../../shared/tool/common-params';
import { type ParamRefusal, type PolicyContext, defineTool } from '../../shared/tool/definition';
import { renderTraceroute } from './render';

export const TRACEROUTE_PROTOCOLS = ['udp', 'icmp', 'tcp'] as const;
export type TracerouteProtocol = (typeof TRACEROUTE_PROTOCOLS)[number];

/**
 * Probe methods that need a raw socket (root or CAP_NET_RAW). Checked on the runner host with the Debian
 * `traceroute` 2.1.2 package: as an unprivileged user -I and -T fail with "You do not have enough privileges to
 * use this traceroute method" (-I could use an unprivileged ICMP socket only where net.ipv4.ping_group_range
 * admits the user; it is off by default). The default UDP method works unprivileged.
 */
export const RAW_SOCKET_PROTOCOLS: ReadonlySet<string> = new Set<TracerouteProtocol>(['icmp', 'tcp']);

/** Caps on what comes back. An address is an IP literal (≤ 45 chars); annotations are short ICMP flags like !H. */
export const TRACEROUTE_LIMITS = { hops: 30, probesPerHop: 3, addressChars: 45, annotationChars: 16 } as const;

const params = z.object({
  target: targetParam('IPv4/IPv6 address or lab hostname to trace the route to (one host, no CIDR).'),
  maxHops: z.number().int().min(1).max(30).default(30).describe('Largest TTL to probe (1-30); stops earlier when the target answers.'),
  queries: z.number().int().min(1).max(3).default(3).describe('Probes per hop (1-3).'),
  waitSec: z.number().min(0.5).max(5).default(3).describe('Longest wait for a reply to one probe, in seconds (0.5-5).'),
  protocol: z
    .enum(TRACEROUTE_PROTOCOLS)
    .default('udp')
    .describe(
      'Probe type: udp (default, works everywhere), icmp (echo, like Windows tracert) or tcp (SYN to port 80, passes many firewalls). icmp and tcp need a privileged runner.',
    ),
  timeoutSec: timeoutParam(120),
});

/**
 * Gated options. Typed loosely because AnyToolDefinition calls checkParams with Record<string, unknown>;
 * it runs after the schema, so protocol is one of the enum values.
 */
function checkParams(p: Readonly<Record<string, unknown>>, ctx: PolicyContext): ParamRefusal | undefined {
  const protocol = typeof p['protocol'] === 'string' ? p['protocol'] : 'udp';
  if (ctx.privileged || !RAW_SOCKET_PROTOCOLS.has(protocol)) return undefined;
  return {
    code: 'FORBIDDEN',
    message: `protocol ${protocol} needs raw sockets, and this runner is not privileged (root or CAP_NET_RAW).`,
    recoverySuggestion: 'Use protocol udp, which works without privileges, or ask the operator to run the runner with CAP_NET_RAW.',
  };
}

const probe = z.object({
  address: z
    .string()
    .max(TRACEROUTE_LIMITS.addressChars)
    .nullable()
    .describe('Address that answered this probe; null when it timed out (shown as * by traceroute).'),
  rttMs: z.number().nullable().describe('Round-trip time in milliseconds; null when the probe timed out.'),
  annotation: z
    .string()
    .max(TRACEROUTE_LIMITS.annotationChars)
    .nullable()
    .describe(
      'ICMP flag traceroute printed after the time: !H host, !N network, !P protocol unreachable, !X administratively prohibited, !F fragmentation needed.',
    ),
});

const hop = z.object({
  ttl: z.number().int().min(1).max(TRACEROUTE_LIMITS.hops),
  probes: z.array(probe).max(TRACEROUTE_LIMITS.probesPerHop),
  timeouts: z.number().int().min(0).max(TRACEROUTE_LIMITS.probesPerHop).describe('Probes of this hop that got no answer.'),
});

const result = z.object({
  target: z.string().max(253).describe('The target as given.'),
  address: z.string().max(TRACEROUTE_LIMITS.addressChars).describe('The address traced to (hostnames are resolved once and pinned).'),
  protocol: z.enum(TRACEROUTE_PROTOCOLS),
  maxHops: z.number().int().min(1).max(30),
  hops: z.array(hop).max(TRACEROUTE_LIMITS.hops).describe('One entry per TTL, in order. Several addresses in one hop mean load-balanced paths.'),
  reachedDestination: z.boolean().describe('True when the last hop answered from the target address.'),
  truncated: truncatedField,
});

export const tracerouteTool = defineTool({
  name: 'traceroute',
  title: 'Trace the route to a host',
  description:
    'Show the routers between the runner and one host, hop by hop, with the address and round-trip time of each probe. ' +
    'Use it when a host is unreachable or slow, to see where along the path packets stop or delay grows. ' +
    'Hops that answer nothing (timeouts) are common and not an error: many routers do not reply to probes. ' +
    'reachedDestination false with trailing timeouts usually means a firewall or the host drops the probe type; try protocol tcp or icmp.',
  params,
  result,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  longRunning: true,
  policy: {
    binary: 'traceroute',
    debianPackage: 'traceroute',
    targetField: 'target',
    allowCidr: false,
    // Worst case (30 hops x 3 probes, 5 s each, 16 in flight at once) is about 30 s.
    defaultTimeoutSec: 60,
    maxTimeoutSec: 120,
    weight: 'light',
    checkParams,
    needsRawSocket: (p) => RAW_SOCKET_PROTOCOLS.has(p.protocol),
  },
  render: renderTraceroute,
});

export type TracerouteParams = z.output<typeof params>;
export type TracerouteResult = z.output<typeof result>;
export type TracerouteHop = z.output<typeof hop>;
