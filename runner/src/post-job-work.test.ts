import { describe, expect, it } from 'vitest';
import { holdPostJobWork } from './post-job-work';

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
const after = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('post-job work (held until the report is acknowledged)', () => {
  it('holds work until release, then runs each piece in a macrotask of its own; later work runs at once', async () => {
    const post = holdPostJobWork();
    const done: string[] = [];
    post.later(() => done.push('cgroup'));
    post.later(() => done.push('warm'));
    post.reportPosted();
    await after(20);
    expect(done).toEqual([]);
    post.release();
    expect(done).toEqual([]); // scheduled, not run inside release()
    await turn();
    expect(done).toEqual(['cgroup', 'warm']);
    post.later(() => done.push('log'));
    await turn();
    expect(done).toEqual(['cgroup', 'warm', 'log']);
    post.release(); // a second release does nothing
    await turn();
    expect(done).toEqual(['cgroup', 'warm', 'log']);
  });

  it('a report never acknowledged releases the work within the bound after it was posted, not before it was posted', async () => {
    const post = holdPostJobWork();
    const done: string[] = [];
    post.later(() => done.push('cgroup'));
    await after(60); // the job still runs: no bound yet
    expect(done).toEqual([]);
    post.reportPosted(30);
    await after(10);
    expect(done).toEqual([]);
    await after(60);
    expect(done).toEqual(['cgroup']);
  });
});
