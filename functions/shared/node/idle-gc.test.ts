import { describe, expect, it, vi } from 'vitest';
import { collectWhenIdle } from './idle-gc';

const wait = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Keep the event loop busy for `ms` (synchronous work, as a burst of calls would). */
const work = (ms: number): void => {
  const until = performance.now() + ms;
  while (performance.now() < until) Math.sqrt(Math.random());
};

describe('collectWhenIdle', () => {
  it('does nothing without a collector (Node started without --expose-gc): not even a timer', () => {
    expect(globalThis.gc).toBeUndefined(); // the test process runs without --expose-gc, so the default is no collector
    const timers = vi.spyOn(globalThis, 'setInterval');
    try {
      const stop = collectWhenIdle({ gc: undefined, intervalMs: 10 });
      expect(timers).not.toHaveBeenCalled();
      expect(() => stop()).not.toThrow();
    } finally {
      timers.mockRestore();
    }
  });

  it('does not collect while the event loop is busy', async () => {
    let count = 0;
    const stop = collectWhenIdle({ gc: (() => void (count += 1)) as NodeJS.GCFunction, intervalMs: 20 });
    try {
      for (let i = 0; i < 10; i += 1) {
        work(30);
        await wait(1);
      }
      expect(count).toBe(0);
    } finally {
      stop();
    }
  });

  it('collects once idle after start-up, full then young generation, and again after more work', async () => {
    const calls: unknown[][] = [];
    const gc = ((...args: unknown[]) => void calls.push(args)) as NodeJS.GCFunction;
    const stop = collectWhenIdle({ gc, intervalMs: 20 });
    try {
      for (let i = 0; i < 100 && calls.length < 2; i += 1) await wait(20);
      expect(calls.slice(0, 2)).toEqual([[], [true]]);
      const before = calls.length;
      for (let i = 0; i < 100 && calls.length === before; i += 1) {
        work(30);
        await wait(60);
      }
      expect(calls.slice(before, before + 2)).toEqual([[], [true]]);
    } finally {
      stop();
    }
  });
});
