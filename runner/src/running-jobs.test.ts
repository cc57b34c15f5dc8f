import { describe, expect, it } from 'vitest';
import { RunningJobs } from './running-jobs';

describe('RunningJobs', () => {
  it('stops a running job by id and lease, with the reason', () => {
    const running = new RunningJobs();
    const ac = new AbortController();
    running.add('j1', 'l1', ac);
    expect(running.stop('j1', 'l1', 'cancelled')).toBe(true);
    expect(ac.signal.reason).toBe('cancelled');
  });

  it('ignores a stop for another lease of the same job', () => {
    const running = new RunningJobs();
    const ac = new AbortController();
    running.add('j1', 'l2', ac);
    expect(running.stop('j1', 'l1', 'lease-lost')).toBe(false);
    expect(ac.signal.aborted).toBe(false);
  });

  it('applies a stop that arrived before the job was registered', () => {
    const running = new RunningJobs();
    expect(running.stop('j1', 'l1', 'cancelled')).toBe(false);
    const ac = new AbortController();
    running.add('j1', 'l1', ac);
    expect(ac.signal.reason).toBe('cancelled');
  });

  it('forgets a job once it is done', () => {
    const running = new RunningJobs();
    const forget = running.add('j1', 'l1', new AbortController());
    forget();
    expect(running.size).toBe(0);
    const late = new AbortController();
    expect(running.stop('j1', 'l1', 'cancelled')).toBe(false);
    running.add('j2', 'l1', late);
    expect(late.signal.aborted).toBe(false);
  });
});
