import { describe, expect, it } from 'vitest';
import { ChannelAbort, channelHeaders, channelRequest } from './channel-request';

// A runner channel frame as the app's request (channel-request.ts); the request itself is light-request.test.ts's.
describe('channelHeaders', () => {
  it('drops the headers the channel sets itself and keeps the rest, names case-insensitive', () => {
    const headers = channelHeaders({ Authorization: 'Bearer t', Host: 'x', 'content-length': '5', 'X-Request-Id': 'abc' });
    expect([...(headers ?? [])]).toEqual([
      ['authorization', 'Bearer t'],
      ['x-request-id', 'abc'],
    ]);
  });

  it('refuses a value no HTTP header may carry', () => {
    expect(channelHeaders({ 'x-bad': 'a\nb' })).toBeUndefined();
    expect(channelHeaders({ 'x-bad': 'a\r\nInjected: 1' })).toBeUndefined();
  });
});

describe('channelRequest', () => {
  it("is the frame's request: origin and path, method, headers with the body's byte length, the body", async () => {
    const body = JSON.stringify({ leaseId: 'l1', note: 'héllo' });
    const request = channelRequest(
      'http://127.0.0.1:8080',
      '/runner/jobs/j1/complete',
      'POST',
      channelHeaders({ 'content-length': '1' }) ?? new Headers(),
      body,
      new ChannelAbort(),
    );
    expect(request instanceof Request).toBe(true);
    expect(request.url).toBe('http://127.0.0.1:8080/runner/jobs/j1/complete');
    expect(request.method).toBe('POST');
    expect(request.headers.get('content-length')).toBe(String(Buffer.byteLength(body)));
    expect(await request.json()).toEqual({ leaseId: 'l1', note: 'héllo' });
  });
});

describe('ChannelAbort', () => {
  const reason = new DOMException('The runner gave up on the request.', 'AbortError');

  it('aborts a signal the app already holds, with the reason', () => {
    const abort = new ChannelAbort();
    const signal = abort.signal;
    expect(signal.aborted).toBe(false);
    abort.abort(reason);
    expect(abort.aborted).toBe(true);
    expect(signal.aborted).toBe(true);
    expect(signal.reason).toBe(reason);
  });

  it('hands out an aborted signal when the app asks only after the abort', () => {
    const abort = new ChannelAbort();
    abort.abort(reason);
    abort.abort(new Error('a second reason is ignored'));
    expect(abort.signal.aborted).toBe(true);
    expect(abort.signal.reason).toBe(reason);
    expect(abort.signal).toBe(abort.signal);
  });
});
