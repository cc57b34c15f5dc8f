import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it } from 'vitest';
import { IDEMPOTENCY_META_KEY, jobKey, readCallMeta } from './call-meta';

const TP = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

describe('readCallMeta', () => {
  it('reads the progress token, the idempotency key and W3C trace context', () => {
    const meta = readCallMeta({ progressToken: 7, [IDEMPOTENCY_META_KEY]: 'scan-42', traceparent: TP, tracestate: 'vendor=1' });
    expect(meta).toEqual({ progressToken: 7, idempotencyKey: 'scan-42', traceHeaders: { traceparent: TP, tracestate: 'vendor=1' } });
  });

  it.each([
    ['ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'],
    ['00-00000000000000000000000000000000-00f067aa0ba902b7-01'],
    ['00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01'],
    ['00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01'],
    ['00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01\r\nx-injected: 1'],
  ])('drops a malformed traceparent (and its tracestate): %j', (traceparent) => {
    expect(readCallMeta({ traceparent, tracestate: 'a=b' }).traceHeaders).toEqual({});
  });

  it.each([[''], ['has space'], ['x'.repeat(101)], [42], ['emoji-🙂']])('refuses idempotency key %j with -32602', (key) => {
    const err = (() => {
      try {
        readCallMeta({ [IDEMPOTENCY_META_KEY]: key });
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(McpError);
    expect((err as McpError).code).toBe(ErrorCode.InvalidParams);
  });

  it('gives the API the client key (prefixed) or a fresh one per call, both valid Idempotency-Keys', () => {
    const api = /^[A-Za-z0-9._:-]{1,128}$/;
    expect(jobKey(readCallMeta({ [IDEMPOTENCY_META_KEY]: 'k1' }))).toBe('mcp.k1');
    const a = jobKey(readCallMeta(undefined));
    const b = jobKey(readCallMeta(undefined));
    expect(a).not.toBe(b);
    expect(a).toMatch(api);
    expect(jobKey(readCallMeta({ [IDEMPOTENCY_META_KEY]: 'x'.repeat(100) }))).toMatch(api);
  });
});
