import { z } from 'zod';
import { targetParam, timeoutParam, truncatedField } from '../../shared/tool/common-params';
import { defineTool } from '../../shared/tool/definition';
import { renderPing } from './render';

const params = z.object({
  target: targetParam('IPv4/IPv6 address or lab hostname to ping (one host).'),
  count: z.number().int().min(1).max(10).default(4).describe('Echo requests to send (1-10).'),
  intervalSec: z.number().min(0.2).max(5).default(1).describe('Seconds between requests (0.2-5).'),
  packetSize: z.number().int().min(16).max(1472).default(56).describe('ICMP payload bytes (16-1472).'),
  timeoutSec: timeoutParam(60),
});

const reply = z.object({
  seq: z.number().int(),
  ttl: z.number().int().nullable(),
  timeMs: z.number().nullable(),
  bytes: z.number().int().nullable(),
});

const result = z.object({
  target: z.string().describe('The target as given.'),
  address: z.string().describe('The address that was pinged (hostnames are resolved once and pinned).'),
  transmitted: z.number().int(),
  received: z.number().int(),
  lossPercent: z.number(),
  rtt: z
    .object({ minMs: z.number(), avgMs: z.number(), maxMs: z.number(), mdevMs: z.number() })
    .nullable()
    .describe('Round-trip statistics; null when nothing came back.'),
  replies: z.array(reply).max(10),
  truncated: truncatedField,
});

export const pingTool = defineTool({
  name: 'ping',
  title: 'Ping a host',
  description:
    'Send ICMP echo requests to one host and report replies, packet loss and round-trip times. ' +
    'Use it first to check that a lab host is up and how far away it is. 100% loss is a normal result (host down or filtering), not an error.',
  params,
  result,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  policy: {
    binary: 'ping',
    debianPackage: 'iputils-ping',
    targetField: 'target',
    allowCidr: false,
    defaultTimeoutSec: 30,
    maxTimeoutSec: 60,
    weight: 'light',
    // iputils ping opens a raw ICMP socket: the unprivileged ICMP socket needs net.ipv4.ping_group_range, off by default.
    needsRawSocket: () => true,
  },
  render: renderPing,
});

export type PingParams = z.output<typeof params>;
export type PingResult = z.output<typeof result>;
