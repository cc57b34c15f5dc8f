/**
 * tcp_connect as a custom tool: the pure half. A native tool (no binary): the runner's pipeline checks the target,
 * resolves a hostname once and pins the address; the executor connects to that address only.
 */
import { z } from 'zod';
import { targetParam, timeoutParam } from '../../../functions/shared/tool/common-params';
import { defineTool } from '../../../functions/shared/tool/definition';
import { renderTcpConnect } from './render';

export const TCP_CONNECT_MAX_COUNT = 10;

const params = z.object({
  target: targetParam('IPv4/IPv6 address or lab hostname to connect to (one host).'),
  port: z.number().int().min(1).max(65535).describe('TCP port (1-65535).'),
  count: z.number().int().min(1).max(TCP_CONNECT_MAX_COUNT).default(3).describe(`Connections to open, one after the other (1-${TCP_CONNECT_MAX_COUNT}).`),
  intervalMs: z.number().int().min(0).max(5000).default(200).describe('Pause between connections in milliseconds (0-5000).'),
  connectTimeoutMs: z.number().int().min(100).max(10_000).default(2000).describe('Longest wait for one connection in milliseconds (100-10000).'),
  timeoutSec: timeoutParam(120),
});

const attempt = z.object({
  seq: z.number().int(),
  connected: z.boolean(),
  timeMs: z.number().nullable().describe('Time to an established connection; null when it failed.'),
  error: z.string().nullable().describe('Why it failed (refused, timed out, …); null when it connected.'),
});

const result = z.object({
  target: z.string().describe('The target as given.'),
  address: z.string().describe('The address connected to (hostnames are resolved once by the runner and pinned).'),
  port: z.number().int(),
  attempts: z.array(attempt).max(TCP_CONNECT_MAX_COUNT),
  connected: z.number().int(),
  failed: z.number().int(),
  stats: z.object({ minMs: z.number(), avgMs: z.number(), maxMs: z.number() }).nullable().describe('Over the connections made; null when none was.'),
});

export const tool = defineTool({
  name: 'tcp_connect',
  title: 'Time TCP connections',
  description:
    'Open TCP connections to one port of one host, one after the other, and report how long each took to be established (or why it failed). ' +
    'Use it to check that a service port is reachable and how quickly it accepts; nothing is sent over the connections.',
  params,
  result,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  policy: {
    binary: null,
    debianPackage: null,
    targetField: 'target',
    allowCidr: false,
    defaultTimeoutSec: 30,
    maxTimeoutSec: 120,
    weight: 'light',
  },
  render: renderTcpConnect,
});

export type TcpConnectParams = z.output<typeof params>;
export type TcpConnectResult = z.output<typeof result>;
