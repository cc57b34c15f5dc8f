/**
 * The one tool of the MCP floor servers (bench/floors.ts): `ping` with the real tool's argument and result shapes and
 * a fixed, schema-valid loopback result. No SDK here: the canned server (floor-canned-mcp-server.ts) answers it
 * without one.
 */
import { z } from 'zod';
import { LOOPBACK_PING_RESULT as RESULT } from '../test/helpers/ping-result';

const rtt = z.object({ minMs: z.number(), avgMs: z.number(), maxMs: z.number(), mdevMs: z.number() });
const reply = z.object({ seq: z.number(), ttl: z.number(), timeMs: z.number(), bytes: z.number() });

/** The tool's arguments: the real ping's shape. */
export const FLOOR_INPUT = { target: z.string(), count: z.number().int() };
/** Its result: the real ping's result shape (an output schema, as the real tools have: the client validates against it). */
export const FLOOR_OUTPUT = {
  target: z.string(),
  address: z.string(),
  transmitted: z.number(),
  received: z.number(),
  lossPercent: z.number(),
  rtt,
  replies: z.array(reply),
  truncated: z.boolean(),
};
/** The tool's answer, every call. */
export const FLOOR_ANSWER = {
  content: [{ type: 'text' as const, text: '1 packets transmitted, 1 received, 0% packet loss' }],
  structuredContent: { ...RESULT },
};
