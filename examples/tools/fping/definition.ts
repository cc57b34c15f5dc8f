/**
 * fping as a custom tool: the pure half, loaded by the API and the runner alike (TOOLS_PACKAGE=examples/tools).
 * One target per call: the pipeline checks, resolves and pins exactly one target parameter (policy.targetField).
 */
import { z } from 'zod';
import { targetParam, timeoutParam } from '../../../functions/shared/tool/common-params';
import { defineTool } from '../../../functions/shared/tool/definition';
import { renderFping } from './render';

export const FPING_MAX_COUNT = 20;

const params = z.object({
  target: targetParam('IPv4/IPv6 address or lab hostname to probe (one host).'),
  count: z.number().int().min(1).max(FPING_MAX_COUNT).default(5).describe(`Echo requests to send (1-${FPING_MAX_COUNT}).`),
  intervalMs: z.number().int().min(100).max(5000).default(500).describe('Milliseconds between requests (100-5000).'),
  probeTimeoutMs: z.number().int().min(50).max(5000).default(500).describe('How long to wait for each reply, in milliseconds (50-5000).'),
  packetSize: z.number().int().min(16).max(1472).default(56).describe('ICMP payload bytes (16-1472).'),
  timeoutSec: timeoutParam(120),
});

const result = z.object({
  target: z.string().describe('The target as given.'),
  address: z.string().describe('The address that was probed (hostnames are resolved once by the runner and pinned).'),
  sent: z.number().int(),
  received: z.number().int(),
  lossPercent: z.number(),
  rttMs: z.array(z.number().nullable()).max(FPING_MAX_COUNT).describe('Round-trip time of each request in order; null when no reply came.'),
  stats: z.object({ minMs: z.number(), avgMs: z.number(), maxMs: z.number() }).nullable().describe('Over the replies; null when none came.'),
});

export const tool = defineTool({
  name: 'fping',
  title: 'fping a host',
  description:
    'Send a fixed number of ICMP echo requests to one host with fping and report each round-trip time (null for a lost one), loss and min/avg/max. ' +
    'Use it for a quick per-probe latency picture; 100% loss is a result, not an error.',
  params,
  result,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  policy: {
    binary: 'fping',
    debianPackage: 'fping',
    targetField: 'target',
    allowCidr: false,
    defaultTimeoutSec: 30,
    maxTimeoutSec: 120,
    // A CIDR sweep sends many probes at once.
    weight: 'heavy',
    // fping prints its -C summary only at the end: a call that cannot finish before its deadline would return nothing.
    // Checked by the API before a job exists and again by the runner.
    checkParams(p) {
      const needSec = Math.ceil(((p.count - 1) * p.intervalMs + p.probeTimeoutMs) / 1000);
      const haveSec = p.timeoutSec ?? 30;
      if (needSec < haveSec) return undefined;
      return {
        code: 'VALIDATION_ERROR',
        message: `${p.count} requests ${p.intervalMs} ms apart need about ${needSec} s, more than the ${haveSec} s deadline.`,
        recoverySuggestion: 'Send fewer requests, shorten intervalMs, or raise timeoutSec (up to 120).',
      };
    },
    // fping opens a raw ICMP socket. Jobs run without any capability unless their tool declares it: then the runner
    // grants CAP_NET_RAW alone (docs/security.md, "Sandbox").
    needsRawSocket: () => true,
  },
  render: renderFping,
});

export type FpingParams = z.output<typeof params>;
export type FpingResult = z.output<typeof result>;
