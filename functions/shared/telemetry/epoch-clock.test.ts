import { describe, expect, it } from 'vitest';
import { epochClock, epochClockError } from './epoch-clock';

describe('epochClock', () => {
  it('reads the wall clock to within its millisecond, and never goes back', () => {
    // The calibration's own error, at least 0.05 ms: on a loaded machine all five edges can be preempted (a CI run
    // saw 0.08 ms), and the clock is then only as good as the edge it kept.
    const slack = Math.max(0.05, epochClockError());
    for (let i = 0; i < 50; i += 1) {
      const before = Date.now();
      const at = epochClock();
      const after = Date.now();
      // Date.now() truncates: the true time lies in [before, after + 1).
      expect(at).toBeGreaterThanOrEqual(before - slack);
      expect(at).toBeLessThan(after + 1 + slack);
    }
    const a = epochClock();
    expect(epochClock()).toBeGreaterThanOrEqual(a);
  });
});
