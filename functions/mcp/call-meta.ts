import type { ProgressToken } from '@modelcontextprotocol/sdk/types.js';
import { invalidParams } from './protocol-error';

/**
 * `_meta` key a client sets on tools/call to make the call retryable: a retry with the same key (same token) reattaches
 * to the job the first call started, running or finished, instead of starting another. Letters, digits and `._:-`,
 * at most 100 characters. With a key, a cancelled or timed-out request detaches from the job rather than stopping it.
 */
export const IDEMPOTENCY_META_KEY = 'io.netdiag/idempotencyKey';

const KEY = /^[A-Za-z0-9._:-]{1,100}$/;
// W3C Trace Context level 1: version-traceid-parentid-flags, lower-case hex; version ff and all-zero ids are invalid.
const TRACEPARENT = /^(?!ff)[0-9a-f]{2}-(?!0{32})[0-9a-f]{32}-(?!0{16})[0-9a-f]{16}-[0-9a-f]{2}$/;
const TRACESTATE = /^[\x20-\x7e]{1,512}$/;

/** What a tools/call asks for besides its arguments. */
export interface CallMeta {
  progressToken: ProgressToken | undefined;
  /** The client's key, when it gave one. */
  idempotencyKey: string | undefined;
  /** W3C trace headers to pass on (traceparent and tracestate); empty when absent or malformed. */
  traceHeaders: Record<string, string>;
}

const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** Read `_meta`; a malformed idempotency key is the caller's mistake (-32602), a malformed traceparent is dropped. */
export function readCallMeta(meta: Readonly<Record<string, unknown>> | undefined): CallMeta {
  const token = meta?.['progressToken'];
  const rawKey = meta?.[IDEMPOTENCY_META_KEY];
  if (rawKey !== undefined && !(typeof rawKey === 'string' && KEY.test(rawKey))) {
    throw invalidParams(`_meta["${IDEMPOTENCY_META_KEY}"] must be 1-100 characters of letters, digits and ._:-`);
  }
  const traceparent = text(meta?.['traceparent']);
  const tracestate = text(meta?.['tracestate']);
  const traceHeaders: Record<string, string> = {};
  if (traceparent !== undefined && TRACEPARENT.test(traceparent)) {
    traceHeaders['traceparent'] = traceparent;
    if (tracestate !== undefined && TRACESTATE.test(tracestate)) traceHeaders['tracestate'] = tracestate;
  }
  return {
    progressToken: typeof token === 'string' || typeof token === 'number' ? token : undefined,
    idempotencyKey: rawKey,
    traceHeaders,
  };
}

/** The Idempotency-Key the API sees: the client's own, or a fresh one so the held call can reattach to its job. */
export function jobKey(meta: CallMeta): string {
  return meta.idempotencyKey !== undefined ? `mcp.${meta.idempotencyKey}` : `mcp-call-${crypto.randomUUID()}`;
}
