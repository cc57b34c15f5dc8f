import { describe, expect, it } from 'vitest';
import { epochClock } from './epoch-clock';

describe('epochClock', () => {
  it('reads the wall clock to within its millisecond, and never goes back', () => {
    for (let i = 0; i < 50; i += 1) {
      const before = Date.now();
      const at = epochClock();
      const after = Date.now();
      // Date.now() truncates: the true time lies in [before, after + 1).
      expect(at).toBeGreaterThanOrEqual(before - 0.05);
      expect(at).toBeLessThan(after + 1.05);
    }
    const a = epochClock();
    expect(epochClock()).toBeGreaterThanOrEqual(a);
  });
});
