import { describe, expect, it } from 'vitest';
import { afterAnswer, flushAfterAnswer } from './after-answer';

/** After this turn's I/O, as the queue's own setImmediate. */
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('afterAnswer', () => {
  it('runs queued work after this turn, in order, not at once', async () => {
    const done: string[] = [];
    afterAnswer(() => done.push('a'));
    afterAnswer(() => done.push('b'));
    await Promise.resolve(); // microtasks (the rest of the answer's way out) come first
    expect(done).toEqual([]);
    await nextTurn();
    expect(done).toEqual(['a', 'b']);
  });

  it('runs what is queued when flushed, and nothing twice', async () => {
    const done: string[] = [];
    afterAnswer(() => done.push('a'));
    flushAfterAnswer();
    expect(done).toEqual(['a']);
    await nextTurn();
    expect(done).toEqual(['a']);
  });

  it('drops nothing when a piece throws: the rest runs, then the first error is thrown', () => {
    const done: string[] = [];
    afterAnswer(() => {
      throw new Error('first');
    });
    afterAnswer(() => done.push('after the first'));
    afterAnswer(() => {
      throw new Error('second');
    });
    afterAnswer(() => done.push('last'));
    expect(() => flushAfterAnswer()).toThrow('first');
    expect(done).toEqual(['after the first', 'last']);
  });

  it('runs work queued while flushing in the same flush', () => {
    const done: string[] = [];
    afterAnswer(() => {
      done.push('outer');
      afterAnswer(() => done.push('inner'));
    });
    flushAfterAnswer();
    expect(done).toEqual(['outer', 'inner']);
  });
});
