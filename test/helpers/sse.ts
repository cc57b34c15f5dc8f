/** Reading server-sent events from a fetch Response in tests. */
export interface SseFrame {
  id?: string;
  event?: string;
  data: string;
}

/** Read SSE frames until `until` matches one (the stream is then cancelled) or the stream ends. */
export async function readSse(res: Response, until: (f: SseFrame, all: readonly SseFrame[]) => boolean): Promise<SseFrame[]> {
  const reader = res.body?.getReader();
  if (!reader) throw new Error('response has no body');
  const frames: SseFrame[] = [];
  const dec = new TextDecoder();
  let buf = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return frames;
    buf += dec.decode(value, { stream: true });
    let idx: number;
    while ((idx = buf.indexOf('\n\n')) >= 0) {
      const raw = buf.slice(0, idx);
      buf = buf.slice(idx + 2);
      const f: SseFrame = { data: '' };
      for (const line of raw.split('\n')) {
        const [k, ...rest] = line.split(': ');
        const v = rest.join(': ');
        if (k === 'id') f.id = v;
        else if (k === 'event') f.event = v;
        else if (k === 'data') f.data += v;
      }
      if (f.event === undefined && f.data === '') continue;
      frames.push(f);
      if (until(f, frames)) {
        await reader.cancel();
        return frames;
      }
    }
  }
}
