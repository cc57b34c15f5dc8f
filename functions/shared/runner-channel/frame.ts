/**
 * The runner channel's framing (docs/design.md, "Runner channel"): one WebSocket between a runner and the Node API
 * that carries the runner protocol's requests and answers instead of one HTTP exchange each. The channel is only a
 * framing: every request is still a runner route's request (method, path, headers incl. Authorization and
 * traceparent, body) and the API answers it through the app as it would a REST request.
 *
 * A frame is one text message: a JSON head, a newline, then the body as it is (JSON never contains a raw newline,
 * so the first one ends the head and the body needs no escaping).
 * - runner → API: `{ id, method, path, headers }` + body, or `{ id, abort: true }` (the runner gave up on `id`);
 * - API → runner: `{ id, status, headers }` + body, `headers` as name, value, name, value… (node:http's rawHeaders).
 */

/** The one path the Node API accepts a runner channel on (an upgrade request; never a route of the app). */
export const RUNNER_CHANNEL_PATH = '/runner/channel';

/**
 * Largest frame either side sends or accepts (ws maxPayload): a report carries at most the tool's capped output
 * (MCP_MAX_STDOUT_BYTES, 1 MiB by default) parsed; a bigger request goes over REST instead (the runner checks).
 */
export const RUNNER_CHANNEL_MAX_FRAME_BYTES = 4 * 1_048_576;

/** Requests one channel may have in the API at once: a runner's claim, control poll and per job (≤ 64) a heartbeat and a report. */
export const RUNNER_CHANNEL_MAX_IN_FLIGHT = 256;

/**
 * Liveness (the API sets the cadence): the API pings every open channel this often and closes one whose previous ping
 * went unanswered, so a runner host that vanished without a FIN is let go within two intervals instead of when TCP gives up.
 */
export const RUNNER_CHANNEL_PING_MS = 15_000;

/** The runner's side of liveness: nothing at all from the API (no ping, no answer) for this long closes the channel. */
export const RUNNER_CHANNEL_SILENCE_MS = 3 * RUNNER_CHANNEL_PING_MS;

export interface ChannelRequestHead {
  id: number;
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
}

export interface ChannelAbortHead {
  id: number;
  abort: true;
}

export interface ChannelAnswerHead {
  id: number;
  status: number;
  headers: string[];
}

/** A runner route's path and query: `/runner/…` in plain characters, never the channel itself. */
const RUNNER_PATH = /^\/runner\/[A-Za-z0-9._~%/-]+(?:\?[A-Za-z0-9._~%=&-]*)?$/;
const MAX_PATH = 512;
const MAX_HEADERS = 32;
const MAX_HEADER_BYTES = 8192;

/**
 * Whether `path` names a runner route as it is: the URL parser must leave it unchanged (no `.`/`..` segment, encoded
 * or not, that would turn `/runner/../tools/x` into another route), and it is not the channel's own path.
 */
export function isRunnerPath(path: string): boolean {
  if (path.length > MAX_PATH || !RUNNER_PATH.test(path)) return false;
  const url = new URL(path, 'http://runner-channel.invalid');
  return `${url.pathname}${url.search}` === path && url.pathname.startsWith('/runner/') && url.pathname !== RUNNER_CHANNEL_PATH;
}

export function encodeFrame(head: ChannelRequestHead | ChannelAbortHead | ChannelAnswerHead, body = ''): string {
  return `${JSON.stringify(head)}\n${body}`;
}

/** Split a frame into its head (parsed JSON, unchecked) and body; undefined when it has no head line or bad JSON. */
export function splitFrame(text: string): { head: unknown; body: string } | undefined {
  const end = text.indexOf('\n');
  if (end < 0) return undefined;
  try {
    return { head: JSON.parse(text.slice(0, end)) as unknown, body: text.slice(end + 1) };
  } catch {
    return undefined;
  }
}

const isId = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/** The request or abort a runner sent, checked field by field; a string saying what is wrong otherwise. */
export function readRequestHead(head: unknown): ChannelRequestHead | ChannelAbortHead | string {
  if (typeof head !== 'object' || head === null || Array.isArray(head)) return 'the frame head is not an object';
  const h = head as Record<string, unknown>;
  if (!isId(h['id'])) return 'the frame has no request id';
  if (h['abort'] === true) return { id: h['id'], abort: true };
  if (h['method'] !== 'POST' && h['method'] !== 'GET') return 'only GET and POST are sent over the runner channel';
  if (typeof h['path'] !== 'string') return 'the frame has no path';
  const headers = h['headers'];
  if (typeof headers !== 'object' || headers === null || Array.isArray(headers)) return 'the frame has no headers';
  const entries = Object.entries(headers as Record<string, unknown>);
  if (entries.length > MAX_HEADERS) return `at most ${MAX_HEADERS} headers`;
  let bytes = 0;
  for (const [name, value] of entries) {
    if (typeof value !== 'string' || !/^[A-Za-z0-9-]{1,64}$/.test(name)) return 'headers are names with string values';
    bytes += name.length + value.length;
  }
  if (bytes > MAX_HEADER_BYTES) return `headers exceed ${MAX_HEADER_BYTES} bytes`;
  return { id: h['id'], method: h['method'], path: h['path'], headers: headers as Record<string, string> };
}

/** The answer the API sent, checked; undefined when it is not one. */
export function readAnswerHead(head: unknown): ChannelAnswerHead | undefined {
  if (typeof head !== 'object' || head === null) return undefined;
  const h = head as Record<string, unknown>;
  const headers = h['headers'];
  if (!isId(h['id']) || typeof h['status'] !== 'number' || h['status'] < 200 || h['status'] > 599) return undefined;
  if (!Array.isArray(headers) || !headers.every((v) => typeof v === 'string')) return undefined;
  return { id: h['id'], status: h['status'], headers: headers as string[] };
}
