import { describe, expect, it } from 'vitest';
import { readSse } from './sse-reader';

function streamOf(chunks: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const c of chunks) controller.enqueue(encoder.encode(c));
      controller.close();
    },
  });
}

const all = async (chunks: string[]) => {
  const out = [];
  for await (const m of readSse(streamOf(chunks))) out.push(m);
  return out;
};

describe('readSse', () => {
  it('reads events, ids, multi-line data and skips comments', async () => {
    expect(await all([': hello\n', 'id: 3\nevent: job.progress\ndata: {"a":1}\n\n', 'data: one\ndata: two\n\n'])).toEqual([
      { id: '3', event: 'job.progress', data: '{"a":1}' },
      { id: '3', event: 'message', data: 'one\ntwo' },
    ]);
  });

  it('handles any line ending and events split anywhere across chunks, including inside \\r\\n', async () => {
    const text = 'event: a\r\ndata: 1\r\n\r\nevent: b\rdata: 2\r\revent: c\ndata: 3\n\n';
    for (let cut = 1; cut < text.length; cut += 1) {
      expect(await all([text.slice(0, cut), text.slice(cut)])).toEqual([
        { id: undefined, event: 'a', data: '1' },
        { id: undefined, event: 'b', data: '2' },
        { id: undefined, event: 'c', data: '3' },
      ]);
    }
  });

  it('decodes UTF-8 split across chunks', async () => {
    const bytes = new TextEncoder().encode('data: Zürich\n\n');
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(bytes.slice(0, 8));
        c.enqueue(bytes.slice(8));
        c.close();
      },
    });
    const out = [];
    for await (const m of readSse(stream)) out.push(m.data);
    expect(out).toEqual(['Zürich']);
  });

  it('drops an event left unfinished when the stream ends', async () => {
    expect(await all(['data: complete\n\n', 'data: cut off'])).toEqual([{ id: undefined, event: 'message', data: 'complete' }]);
  });
});
