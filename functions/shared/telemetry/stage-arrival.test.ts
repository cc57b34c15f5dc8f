import { afterEach, describe, expect, it } from 'vitest';
import { markArrival, noteArrival } from './stage-arrival';
import { epochClock } from './epoch-clock';
import { setStageSink } from './stage-times';

afterEach(() => setStageSink(undefined));

describe('stage arrival stamps', () => {
  it("stamps a job's stage at the time its request arrived", async () => {
    const marks: Array<[string, string, number]> = [];
    setStageSink((jobId, stage, at) => marks.push([jobId, stage, at]));
    const request = {};
    const before = epochClock();
    noteArrival(request);
    await new Promise((r) => setTimeout(r, 20));
    markArrival(request, 'job-1', 'api.arrived');
    markArrival({}, 'job-2', 'api.arrived'); // never noted: nothing stamped
    expect(marks).toHaveLength(1);
    const [jobId, stage, at] = marks[0]!;
    expect([jobId, stage]).toEqual(['job-1', 'api.arrived']);
    expect(at).toBeGreaterThanOrEqual(before);
    expect(at).toBeLessThan(epochClock() - 10); // the noted time, not the mark's
  });

  it('keeps nothing while stage times are off', () => {
    const request = {};
    noteArrival(request);
    const marks: string[] = [];
    setStageSink((_jobId, stage) => marks.push(stage));
    markArrival(request, 'job-1', 'api.arrived');
    expect(marks).toEqual([]);
  });
});
