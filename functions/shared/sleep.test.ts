import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { sleep } from './sleep';

describe('sleep', () => {
  it('leaves no abort listener behind when its time runs out, however often it waits on one signal', async () => {
    const stop = new AbortController();
    for (let i = 0; i < 12; i++) {
      await sleep(1, stop.signal);
      expect(getEventListeners(stop.signal, 'abort')).toHaveLength(0);
    }
  });

  it('ends at once when the signal fires, and then leaves no listener either', async () => {
    const stop = new AbortController();
    const waiting = sleep(600_000, stop.signal);
    expect(getEventListeners(stop.signal, 'abort')).toHaveLength(1);
    stop.abort();
    await waiting;
    expect(getEventListeners(stop.signal, 'abort')).toHaveLength(0);
  });

  it('does not wait on a signal that has already fired', async () => {
    await sleep(600_000, AbortSignal.abort());
  });
});
