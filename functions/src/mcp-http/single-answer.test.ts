import { describe, expect, it } from 'vitest';
import { answerSingleAsJson } from './single-answer';

const enc = new TextEncoder();
const event = (message: unknown, id?: string): string => `event: message\n${id ? `id: ${id}\n` : ''}data: ${JSON.stringify(message)}\n\n`;
const RESPONSE = { jsonrpc: '2.0', id: 7, result: { content: [{ type: 'text', text: 'héllo' }] } };
const PROGRESS = { jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: 1, progress: 1 } };

/** An event stream like the SDK transport's: each event one chunk; `open` keeps it open after the chunks. */
function sse(chunks: readonly (string | Uint8Array)[], open = false): { response: Response; cancelled: Promise<unknown> } {
  let onCancel: (reason: unknown) => void = () => undefined;
  const cancelled = new Promise((resolve) => (onCancel = resolve));
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const c of chunks) controller.enqueue(typeof c === 'string' ? enc.encode(c) : c);
      if (!open) controller.close();
    },
    cancel: (reason) => onCancel(reason ?? 'cancelled'),
  });
  const headers = { 'content-type': 'text/event-stream', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive', 'mcp-session-id': 's1' };
  return { response: new Response(body, { status: 200, headers }), cancelled };
}

describe('answerSingleAsJson', () => {
  it('answers a stream that holds only the final response as that response in JSON, session id kept', async () => {
    const out = await answerSingleAsJson(sse([event(RESPONSE)]).response, new AbortController().signal);
    expect(out.status).toBe(200);
    expect(out.headers.get('content-type')).toBe('application/json');
    expect(out.headers.get('mcp-session-id')).toBe('s1');
    expect(out.headers.get('connection')).toBeNull();
    expect(await out.json()).toEqual(RESPONSE);
  });

  it('finds the first event across chunks split anywhere, a multi-byte character included', async () => {
    const whole = enc.encode(event(RESPONSE));
    const at = whole.indexOf(0xc3) + 1; // between the two bytes of é
    const out = await answerSingleAsJson(sse([whole.slice(0, at), whole.slice(at, -1), whole.slice(-1)]).response, new AbortController().signal);
    expect(out.headers.get('content-type')).toBe('application/json');
    expect(await out.json()).toEqual(RESPONSE);
  });

  it('keeps the event stream, every byte in order, when a notification comes first', async () => {
    const chunks = [event(PROGRESS), event(RESPONSE)];
    const out = await answerSingleAsJson(sse(chunks).response, new AbortController().signal);
    expect(out.headers.get('content-type')).toBe('text/event-stream');
    expect(await out.text()).toBe(chunks.join(''));
  });

  it('keeps the event stream when a second event follows the response (a batch) or the event has an id', async () => {
    const second = { ...RESPONSE, id: 8 };
    const batch = await answerSingleAsJson(sse([event(RESPONSE), event(second)]).response, new AbortController().signal);
    expect(batch.headers.get('content-type')).toBe('text/event-stream');
    expect(await batch.text()).toBe(event(RESPONSE) + event(second));
    const resumable = await answerSingleAsJson(sse([event(RESPONSE, 'e1')]).response, new AbortController().signal);
    expect(await resumable.text()).toBe(event(RESPONSE, 'e1'));
  });

  it('hands on a stream that stays open after a notification without waiting for its end', async () => {
    const { response, cancelled } = sse([event(PROGRESS)], true);
    const out = await answerSingleAsJson(response, new AbortController().signal);
    expect(out.headers.get('content-type')).toBe('text/event-stream');
    const reader = (out.body as ReadableStream<Uint8Array>).getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe(event(PROGRESS));
    await reader.cancel('client gone');
    expect(await cancelled).toBe('client gone');
  });

  it('cancels the transport stream when the caller goes away before the first event', async () => {
    const { response, cancelled } = sse([], true);
    const caller = new AbortController();
    const out = answerSingleAsJson(response, caller.signal);
    caller.abort(new Error('gone'));
    await expect(cancelled).resolves.toBeInstanceOf(Error);
    expect((await out).status).toBe(200);
  });

  it('passes other answers through untouched', async () => {
    const json = new Response('{"a":1}', { status: 202, headers: { 'content-type': 'application/json' } });
    expect(await answerSingleAsJson(json, new AbortController().signal)).toBe(json);
    const empty = new Response(null, { status: 202 });
    expect(await answerSingleAsJson(empty, new AbortController().signal)).toBe(empty);
  });
});
